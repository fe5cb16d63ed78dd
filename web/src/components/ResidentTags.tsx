import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { findResidentTag, residentTagLabel } from '../domain/residentTags';

/** A resident's categories as coloured tags. */
export function ResidentTags({ tags }: { tags: string[] }) {
  useTranslation();
  if (tags.length === 0) return <span className="ms-muted">—</span>;
  return (
    <span className="ms-tags">
      {tags.map((tag) => (
        <Tag key={tag} color={findResidentTag(tag)?.color ?? 'default'} variant="filled">
          {residentTagLabel(tag)}
        </Tag>
      ))}
    </span>
  );
}
