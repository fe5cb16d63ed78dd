import { TreeSelect } from 'antd';
import { useEffect, useMemo, useState } from 'react';
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

function buildOptions(tree: PlaceTree, key: string): PlaceOption[] | undefined {
  return tree.childrenOf(key)?.map((place) => ({
    value: String(place.id),
    title: `${place.name}（${enumLabel('levels', place.level)}）`,
    isLeaf: place.childCount === 0,
    children: buildOptions(tree, String(place.id)),
  }));
}

interface PlaceTreeSelectProps {
  value: string | undefined;
  onChange: (placeId: string | undefined) => void;
  style?: React.CSSProperties;
  testId?: string;
}

/**
 * Picks a place from the account's part of the tree, loading levels as they are opened. A value
 * coming from the URL is resolved through its ancestors so the picker shows its name.
 */
export function PlaceTreeSelect({ value, onChange, style, testId }: PlaceTreeSelectProps) {
  const { t } = useTranslation();
  const tree = usePlaceTree();
  const { loadChildren, revealPlace, findPlace, version } = tree;
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
        (keys) => setExpandedKeys((previous) => [...new Set([...previous, ...keys])]),
        () => undefined,
      );
    return () => controller.abort();
  }, [value, findPlace, revealPlace]);

  const options = useMemo(() => buildOptions(tree, ROOT_KEY) ?? [], [tree, version, t]);

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
