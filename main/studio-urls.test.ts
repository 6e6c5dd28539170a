import { describe, it, expect } from 'vitest';
import { vetExternalUrl } from './studio';
import { methodName, eventMethodName } from '../shared/ipc/contract';

describe('external links and bridge names', () => {
  it('lets only parsed http(s) URLs out', () => {
    expect(vetExternalUrl('https://presswork.example/help')).toBe('https://presswork.example/help');
    expect(vetExternalUrl('http://example.com')).toBe('http://example.com/');
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'not a url', ' https://x', 'HTTPS:/\\evil']) {
      const v = vetExternalUrl(bad);
      if (v !== undefined) expect(v.startsWith('https://') || v.startsWith('http://')).toBe(true);
    }
    expect(vetExternalUrl('javascript:alert(1)')).toBeUndefined();
    expect(vetExternalUrl('file:///etc/passwd')).toBeUndefined();
  });
  it('derives bridge method names from channel names', () => {
    expect(methodName('template:openSample')).toBe('templateOpenSample');
    expect(methodName('library:list')).toBe('libraryList');
    expect(eventMethodName('job:progress')).toBe('onJobProgress');
  });
});
