import { useEffect, useState } from 'react';
import { useStudio } from '../../state/store';

interface PageInfo {
  id: string;
  name: string;
  width: number;
  height: number;
  elements: { id: string; type: string }[];
}

/**
 * Where the canvas editor (renderer/editor, another part of the studio) mounts. Until it lands this shows the
 * template's real structure — pages, sizes and elements from the document — nothing invented.
 */
export function EditorMount() {
  const { bridge, template, revision, report } = useStudio();
  const [pages, setPages] = useState<PageInfo[]>([]);
  useEffect(() => {
    bridge.call('template:get', { id: template!.id }).then((t) => {
      const doc = t.document as { print?: { pages: PageInfo[] } };
      setPages(doc.print?.pages ?? []);
    }, report);
  }, [bridge, template, revision, report]);
  const inch = (pt: number) => `${(pt / 72).toFixed(2)} in`;
  return (
    <div className="grid-2" data-testid="editor-mount">
      {pages.map((p) => (
        <section key={p.id} className="panel">
          <header className="panel-head">
            <h3>{p.name}</h3>
            <span className="muted">
              {inch(p.width)} × {inch(p.height)} · {p.elements.length} elements
            </span>
          </header>
          <table className="table">
            <tbody>
              {p.elements.map((e) => (
                <tr key={e.id}>
                  <td className="mono">{e.id}</td>
                  <td className="muted">{e.type}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
