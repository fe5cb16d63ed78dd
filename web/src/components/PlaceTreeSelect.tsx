import { TreeSelect } from 'antd';
import { useEffect, useMemo, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchPlace } from '../api/places';
import { enumLabel } from '../domain/labels';
import { ROOT_KEY, usePlaceTree, type PlaceTree } from '../hooks/usePlaceTree';

interface PlaceOption {
  value: string;
  title: string;
  isLeaf: boolean;
  children?: PlaceOption[];
}

function buildOptions(childrenOf: PlaceTree['childrenOf'], key: string): PlaceOption[] | undefined {
  return childrenOf(key)?.map((place) => ({
    value: String(place.id),
    title: `${place.name}（${enumLabel('levels', place.level)}）`,
    isLeaf: place.childCount === 0,
    children: buildOptions(childrenOf, String(place.id)),
  }));
}

interface PlaceTreeSelectProps {
  value: string | undefined;
  onChange: (placeId: string | undefined) => void;
  style?: CSSProperties;
  testId?: string;
}

/**
 * Picks a place from the account's part of the tree, loading levels as they are opened. A value
 * coming from the URL is resolved through its ancestors so the picker shows its name.
 */
export function PlaceTreeSelect({ value, onChange, style, testId }: PlaceTreeSelectProps) {
  const { t } = useTranslation();
  const tree = usePlaceTree();
  const { loadChildren, revealPlace, findPlace, childrenOf, version } = tree;
  const [expandedKeys, setExpandedKeys] = useState<string[]>([]);

  useEffect(() => {
    void loadChildren(ROOT_KEY).catch(() => undefined);
  }, [loadChildren]);

  useEffect(() => {
    if (!value || findPlace(value)) return;
    const controller = new AbortController();
    fetchPlace(value, controller.signal)
      .then((place) => revealPlace(place))
      .then(
        (keys) => setExpandedKeys((previous) => [...new Set([...previous, ...keys.slice(0, -1)])]),
        () => undefined,
      );
    return () => controller.abort();
  }, [value, findPlace, revealPlace]);

  // `version` changes whenever a level arrives in the cache behind `childrenOf`.
  const options = useMemo(() => buildOptions(childrenOf, ROOT_KEY) ?? [], [childrenOf, version, t]);

  return (
    <TreeSelect<string>
      data-testid={testId}
      style={style}
      value={value || undefined}
      treeData={options}
      placeholder={t('placePicker.placeholder')}
      allowClear
      treeLine
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxHeight: 420, overflow: 'auto', minWidth: 280 } } }}
      treeExpandedKeys={expandedKeys}
      onTreeExpand={(keys) => setExpandedKeys(keys.map(String))}
      treeLoadedKeys={tree.loadedKeys()}
      loadData={async (node) => {
        await loadChildren(String(node.value)).catch(() => undefined);
      }}
      onChange={(next) => onChange(next ?? undefined)}
    />
  );
}
