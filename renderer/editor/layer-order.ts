import type { TemplateDocument } from '../../shared/model/document';
import { fail, findElement, ok, refuseLocked, updateList, type OpResult } from '../../shared/ops';

/**
 * Move one element to `index` among its siblings (the layers panel's drag): `siblingOf` names the element
 * it was dropped on, which must share its parent — layers reorder within a group or page, they do not
 * change parents (group and ungroup do that). Locked elements refuse, as every reorder does.
 */
export function moveElementTo(doc: TemplateDocument, args: { id: string; siblingOf: string; index: number }): OpResult {
  const loc = findElement(doc, args.id);
  const target = findElement(doc, args.siblingOf);
  if (!loc || !target) return fail('not-found', `No element "${loc ? args.siblingOf : args.id}"; it may have been deleted.`);
  const parent = (l: typeof loc) => `${l.pageIndex}/${l.ancestors.map((a) => a.id).join('/')}`;
  if (parent(loc) !== parent(target))
    return fail(
      'different-parents',
      'Layers reorder within one group or page; ungroup first, or group the elements together, then reorder.',
      [args.id, args.siblingOf],
    );
  const locked = refuseLocked([loc], 'reorder');
  if (locked) return locked;
  if (loc.index === args.index) return ok(doc);
  return ok(
    updateList(
      doc,
      loc.pageIndex,
      loc.ancestors.map((a) => a.id),
      (list) => {
        const [el] = list.splice(loc.index, 1);
        list.splice(Math.max(0, Math.min(list.length, args.index)), 0, el!);
        return list;
      },
    ),
  );
}
