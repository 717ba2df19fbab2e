// Node-only test. Checks ts-mls's array-based tree arithmetic (RFC 9420, appendix C) against the
// working group's tree-math vectors, which do not depend on a cipher suite. Every TreeKEM path,
// resolution and secret-tree derivation rests on these index functions.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  isLeaf,
  left,
  nodeWidth,
  parent,
  right,
  root,
  sibling,
  toNodeIndex,
  type NodeIndex,
} from 'ts-mls/treemath.js';

import { loadVectors } from './load-vectors.ts';

interface TreeMathVector {
  readonly n_leaves: number;
  readonly n_nodes: number;
  readonly root: number;
  /** Indexed by node; null where there is none (a leaf's children, the root's parent). */
  readonly left: readonly (number | null)[];
  readonly right: readonly (number | null)[];
  readonly parent: readonly (number | null)[];
  readonly sibling: readonly (number | null)[];
}

describe('tree math vectors (RFC 9420, appendix C)', () => {
  for (const vector of loadVectors<TreeMathVector>('tree-math')) {
    const leaves = vector.n_leaves;
    const nodes = Array.from({ length: vector.n_nodes }, (_, i) => toNodeIndex(i));

    // ts-mls throws for relations that do not exist, so the vectors' nulls are matched by asking
    // isLeaf and root first; that checks those two functions on every node as well.
    const withoutRoot = (f: (node: NodeIndex) => number) => (node: NodeIndex) =>
      node === root(leaves) ? null : f(node);
    const withoutLeaves = (f: (node: NodeIndex) => number) => (node: NodeIndex) =>
      isLeaf(node) ? null : f(node);

    test(`a tree of ${leaves} leaves has the vector node count and root`, () => {
      assert.equal(nodeWidth(leaves), vector.n_nodes);
      assert.equal(root(leaves), vector.root);
    });

    test(`in a tree of ${leaves} leaves every node has the vector's children`, () => {
      assert.deepEqual(nodes.map(withoutLeaves(left)), vector.left);
      assert.deepEqual(nodes.map(withoutLeaves(right)), vector.right);
    });

    test(`in a tree of ${leaves} leaves every node has the vector's parent and sibling`, () => {
      assert.deepEqual(nodes.map(withoutRoot((node) => parent(node, leaves))), vector.parent);
      assert.deepEqual(nodes.map(withoutRoot((node) => sibling(node, leaves))), vector.sibling);
    });
  }
});
