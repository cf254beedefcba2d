import { pairStacks } from '../../lib/diff/stack-pairs';
import { loadedStack } from './loaded-stack';

const stack = (artifactId: string, stackName: string, hierarchicalId = artifactId) => loadedStack(artifactId, undefined, { stackName, stack: hierarchicalId });

describe('pairStacks', () => {
  test('by artifact id (nested stages included), then by stack name; the rest added or removed', () => {
    const oldStacks = [stack('Platform', 'Platform'), stack('ProdRegistry1A2B', 'Prod-Registry', 'Prod/Registry'), stack('Legacy', 'shared-data'), stack('Sandbox', 'Sandbox')];
    const newStacks = [stack('ProdRegistry1A2B', 'Prod-Registry', 'Prod/Registry'), stack('Platform', 'Platform'), stack('Data', 'shared-data'), stack('ProdMonitoring3C4D', 'Prod-Monitoring', 'Prod/Monitoring')];
    const pairs = pairStacks(oldStacks, newStacks);
    expect(pairs.paired.map((p) => [p.old.artifactId, p.new.artifactId])).toEqual([
      ['ProdRegistry1A2B', 'ProdRegistry1A2B'], ['Platform', 'Platform'], ['Legacy', 'Data'],
    ]);
    expect(pairs.added.map((s) => s.stack)).toEqual(['Prod/Monitoring']);
    expect(pairs.removed.map((s) => s.stack)).toEqual(['Sandbox']);
  });

  test('a stack name matches only a stack not already paired by artifact id', () => {
    const pairs = pairStacks([stack('A', 'same')], [stack('A', 'other'), stack('B', 'same')]);
    expect(pairs.paired.map((p) => [p.old.artifactId, p.new.artifactId])).toEqual([['A', 'A']]);
    expect(pairs.added.map((s) => s.artifactId)).toEqual(['B']);
    expect(pairs.removed).toEqual([]);
  });
});
