import { expect } from 'chai';
import { loadCri } from '../client/proto.js';
import { computeCoverage } from './coverage.js';
import { renderHtml } from './html.js';
import type { RunResults } from './results.js';

describe('renderHtml', function () {
  it('renders a self-contained page with the numbers, escaped titles and failures', function () {
    const results: RunResults = {
      runId: 'abc',
      startedAt: new Date(0),
      finishedAt: new Date(2500),
      interrupted: true,
      properties: { 'runtime.name': 'containerd' },
      tests: [
        {
          file: 'f',
          titlePath: ['PodSandbox', 'RunPodSandbox', 'runs <b>'],
          fullTitle: 'PodSandbox RunPodSandbox runs <b>',
          outcome: 'failed',
          durationMs: 1,
          message: 'RunPodSandbox → INTERNAL (13): "x"',
        },
        {
          file: 'f',
          titlePath: ['PodSandbox', 'RunPodSandbox', 'ok'],
          fullTitle: 'PodSandbox RunPodSandbox ok',
          outcome: 'passed',
          durationMs: 1,
        },
      ],
    };
    const html = renderHtml(results, computeCoverage(loadCri().definition, [], results.tests));
    expect(html).to.not.match(/<(script|link|img)\b/);
    expect(html).to.not.match(/https?:\/\//);
    expect(html).to.include('<div class="card" data-metric="tests"><b>2</b> tests</div>');
    expect(html).to.include('<div class="card" data-metric="RPCs exercised"><b>1/41</b> RPCs');
    expect(html).to.include('runs &lt;b&gt;');
    expect(html).to.include('RunPodSandbox → INTERNAL (13): &quot;x&quot;');
    expect(html).to.include('interrupted: partial results');
    expect(html).to.include('<div class="card" data-metric="message-type fields"><b>0%</b>');
    expect(html).to.match(
      /<tr data-type="WindowsPodSandboxConfig"><td>WindowsPodSandboxConfig<\/td>.*0\/1 \(0%\)<\/td><td><code title="[^"]+">security_context<\/code> <small>windows only<\/small><\/td><\/tr>/,
    );
    expect(html).to.include('<tr><td>PodSandbox</td><td class="n">1</td><td class="n">1</td>');
  });
});
