import { formatDataIssue } from '../../shared/data';
import { DataInputError } from '../data/source';
import { HttpError } from './route-kit';

/**
 * A data file that cannot be read, as the 4xx a client can act on: 415 for a charset Presswork does not read,
 * 422 `invalid-data` for content (undecodable bytes, no header, broken JSON/XLSX), with one detail per problem
 * (first 50). Anything else passes through unchanged.
 */
export function dataInputHttpError(e: unknown): unknown {
  if (!(e instanceof DataInputError)) return e;
  const details = e.issues.slice(0, 50).map((i) => ({ path: i.row ? `row ${i.row}` : '(file)', message: formatDataIssue(i) }));
  if (e.status === 415) return new HttpError(415, 'unsupported-media-type', e.message, details);
  const what = e.issues.length
    ? `${e.message}: ${e.issues
        .map((i) => i.message)
        .slice(0, 3)
        .join('; ')}`
    : e.message;
  return new HttpError(422, 'invalid-data', `${what}; fix the file and send it again`, details);
}
