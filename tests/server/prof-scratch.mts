import { client, samplePackage, SAMPLE_CSV, startSmtpSink, startTestServer, tempDir, token, waitFor } from './harness';
const tmp = tempDir('prof');
const sink = await startSmtpSink();
const t0 = performance.now();
const server = await startTestServer(tmp.dir, { workers: 1 }, sink.port);
console.log('start', performance.now() - t0);
const pub = client(server.url, token(server, 'publisher'));
const op = client(server.url, token(server, 'operator'));
const { zip } = await samplePackage();
let t = performance.now();
await pub('POST', '/api/v1/templates', zip, { 'content-type': 'application/zip' });
console.log('publish', performance.now() - t);
t = performance.now();
const times: number[] = [];
const orig = sink.messages.push.bind(sink.messages);
sink.messages.push = (...m) => {
  times.push(performance.now() - t);
  return orig(...m);
};
const j = await op('POST', '/api/v1/jobs', {
  templateId: 'service-reminder',
  version: 1,
  channels: ['email'],
  data: { file: { content: SAMPLE_CSV, format: 'csv' } },
});
console.log('create', performance.now() - t);
await waitFor('done', async () => ((await op('GET', `/api/v1/jobs/${j.json.id}`)).json.status === 'completed' ? 1 : undefined), 60000, 50);
console.log('done', performance.now() - t, 'first', times[0], 'n', times.length, 'p50', times[99], 'last', times.at(-1));
await server.close();
await sink.close();
tmp.remove();
