import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { templatePath } from './endpoint-template.js';

describe('templatePath', () => {
  const cases: [string, string][] = [
    ['/servers', '/servers'],
    ['/servers/42', '/servers/{id}'],
    ['/servers/42/actions/poweron', '/servers/{id}/actions/poweron'],
    ['/servers/42/actions/enable_rescue', '/servers/{id}/actions/enable_rescue'],
    ['/servers/42/actions/7', '/servers/{id}/actions/{id}'],
    ['/actions/123456789', '/actions/{id}'],
    ['/servers?name=worker-1', '/servers'],
    ['/images?name=ubuntu-24.04&architecture=x86', '/images'],
    ['/servers/42/', '/servers/{id}'],
    ['/', '/'],
    ['', '/'],
  ];
  for (const [path, template] of cases) {
    it(`templates ${JSON.stringify(path)} as ${template}`, () => {
      assert.equal(templatePath(path), template);
    });
  }

  it('keeps no raw id in any template', () => {
    for (const [path] of cases) assert.doesNotMatch(templatePath(path), /\d{2,}/);
  });
});
