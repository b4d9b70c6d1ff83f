// An audit entry as people read it: a sentence (who did what to which object, the object a link
// to its page), then what changed as labelled fields. Used by the audit log and the home page.
import { Anchor, Button, Text, VisuallyHidden } from '@mantine/core';
import { IconChevronDown } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import {
  describeEntry,
  detailRows,
  fieldName,
  listChange,
  sentenceParts,
  valueText,
  type AuditEntryLike,
  type DetailRow,
  type Names,
} from '../lib/audit';

export function AuditSentence({
  entry,
  names,
  size = 'sm',
  links = true,
}: {
  entry: AuditEntryLike;
  names: Names;
  size?: 'xs' | 'sm' | 'md';
  /** Whether the object links to its page. */
  links?: boolean;
}) {
  const { i18n } = useTranslation();
  const sentence = describeEntry(i18n, entry, names);
  return (
    <Text size={size} lh={1.45} data-testid="audit-sentence" style={{ overflowWrap: 'anywhere' }}>
      {sentenceParts(sentence.template).map((part, index) => {
        if (part.kind === 'text') return <Fragment key={index}>{part.text}</Fragment>;
        if (part.kind === 'actor') {
          return (
            <Text span fw={600} key={index} c={entry.actor_id ? undefined : 'dimmed'}>
              {sentence.actor}
            </Text>
          );
        }
        return sentence.link && links ? (
          <Anchor component={Link} to={sentence.link} fw={600} size={size} key={index}>
            {sentence.name}
          </Anchor>
        ) : (
          <Text span fw={600} key={index}>
            {sentence.name}
          </Text>
        );
      })}
    </Text>
  );
}

function FieldValue({
  row,
  entry,
  names,
}: {
  row: DetailRow;
  entry: AuditEntryLike;
  names: Names;
}) {
  const { t, i18n } = useTranslation();
  const context = { entity: entry.entity, row, entry, names };
  const show = (value: unknown) => valueText(i18n, value, context);
  if (row.kind === 'value') {
    return <span className="audit-value">{show(row.after)}</span>;
  }
  const list = listChange(row.before, row.after);
  if (list && (list.added.length > 0 || list.removed.length > 0)) {
    return (
      <span className="audit-value">
        {list.added.length > 0 && (
          <span className="diff-after">
            {t('audit.added', { list: list.added.map(show).join(', ') })}
          </span>
        )}
        {list.added.length > 0 && list.removed.length > 0 && <br />}
        {list.removed.length > 0 && (
          <span className="diff-removed">
            {t('audit.removed', { list: list.removed.map(show).join(', ') })}
          </span>
        )}
      </span>
    );
  }
  return (
    <span className="audit-value">
      <span className="diff-before">{show(row.before)}</span>
      <span aria-hidden> → </span>
      <VisuallyHidden>{` ${t('audit.becomes')} `}</VisuallyHidden>
      <span className="diff-after">{show(row.after)}</span>
    </span>
  );
}

/** What an entry changed, as labelled fields: the first few, the rest on demand. */
export function AuditChanges({
  entry,
  names,
  shown = 4,
}: {
  entry: AuditEntryLike;
  names: Names;
  shown?: number;
}) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const rows = detailRows(entry);
  if (rows.length === 0) return null;
  // Never hide a single row behind a button.
  const limit = rows.length > shown + 1 ? shown : rows.length;
  const visible = open ? rows : rows.slice(0, limit);
  return (
    <>
      <dl className="audit-fields" data-testid="audit-fields">
        {visible.map((row) => (
          <div className="audit-field" key={`${row.parent ?? ''}.${row.field}`}>
            <dt>{fieldName(i18n, row)}</dt>
            <dd>
              <FieldValue row={row} entry={entry} names={names} />
            </dd>
          </div>
        ))}
      </dl>
      {rows.length > limit && (
        <Button
          variant="subtle"
          size="compact-xs"
          mt={2}
          onClick={() => setOpen((o) => !o)}
          aria-expanded={open}
          rightSection={
            <IconChevronDown
              size={14}
              style={{ transform: open ? 'rotate(180deg)' : undefined }}
              aria-hidden
            />
          }
        >
          {open ? t('audit.lessDetails') : t('audit.moreDetails', { count: rows.length - limit })}
        </Button>
      )}
    </>
  );
}
