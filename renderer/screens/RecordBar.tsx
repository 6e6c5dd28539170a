import { useState } from 'react';
import { useStudio } from '../state/store';
import { Button, Badge } from '../ui';

/** Step through records: first/prev/next/last, jump to a row, search by value; shows the record's dealer. */
export function RecordBar() {
  const { record, index, goTo, dataset, bridge, report } = useStudio();
  const [query, setQuery] = useState('');
  const total = record?.total ?? 1;
  const search = async () => {
    if (!dataset || !query.trim()) return;
    try {
      const r = await bridge.call('data:find', { datasetId: dataset.id, query: query.trim(), from: index + 1 });
      if (r.index === null) report(new Error(`No record contains "${query.trim()}".`));
      else goTo(r.index);
    } catch (e) {
      report(e);
    }
  };
  return (
    <div className="recordbar" data-testid="recordbar">
      {record?.variant ? (
        <Badge tone={record.variant.fallback ? 'warn' : 'ok'} title="The dealer variant this record resolves to">
          <span data-testid="variant">{record.variant.name}</span>
        </Badge>
      ) : null}
      <Button size="small" aria-label="First record" onClick={() => goTo(0)} disabled={index === 0}>
        First
      </Button>
      <Button size="small" aria-label="Previous record" onClick={() => goTo(index - 1)} disabled={index === 0}>
        ◀
      </Button>
      <label className="muted" style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
        Record
        <input
          className="input"
          aria-label="Jump to record"
          data-testid="record-jump"
          type="number"
          min={1}
          max={total}
          value={index + 1}
          onChange={(e) => {
            const n = Number(e.currentTarget.value);
            if (Number.isFinite(n) && n >= 1) goTo(n - 1);
          }}
        />
        of <span data-testid="record-total">{total}</span>
      </label>
      <Button size="small" aria-label="Next record" onClick={() => goTo(index + 1)} disabled={index >= total - 1}>
        ▶
      </Button>
      <Button size="small" aria-label="Last record" onClick={() => goTo(total - 1)} disabled={index >= total - 1}>
        Last
      </Button>
      <input
        className="input"
        style={{ width: 160 }}
        placeholder={dataset ? 'Find a value…' : 'Import data to search'}
        aria-label="Find a record by value"
        disabled={!dataset}
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={(e) => e.key === 'Enter' && void search()}
      />
    </div>
  );
}
