import { describe, expect, it } from "vitest";
import { nodesOnCycles, reachableFrom, type Adjacency } from "./graph.js";

/** An adjacency from "a>b" edge strings. */
function graph(...edges: string[]): Adjacency {
  const adj: Adjacency = new Map();
  for (const e of edges) {
    const [from, to] = e.split(">") as [string, string];
    adj.set(from, [...(adj.get(from) ?? []), to]);
  }
  return adj;
}

describe("nodesOnCycles", () => {
  it("finds nothing in a tree or a diamond (a join is not a cycle)", () => {
    expect(nodesOnCycles(["a", "b", "c", "d"], graph("a>b", "a>c", "b>d", "c>d"))).toEqual(new Set());
    expect(nodesOnCycles([], new Map())).toEqual(new Set());
  });

  it("finds every node of a cycle and none of the nodes leading into or out of it", () => {
    const adj = graph("in>a", "a>b", "b>c", "c>a", "c>out");
    expect(nodesOnCycles(["in", "a", "b", "c", "out"], adj)).toEqual(new Set(["a", "b", "c"]));
  });

  it("finds a self loop and a two-node cycle", () => {
    expect(nodesOnCycles(["a", "b"], graph("a>a", "a>b"))).toEqual(new Set(["a"]));
    expect(nodesOnCycles(["a", "b"], graph("a>b", "b>a"))).toEqual(new Set(["a", "b"]));
  });

  it("finds separate cycles, whichever node the walk starts from", () => {
    const adj = graph("a>b", "b>a", "b>c", "c>d", "d>e", "e>c", "x>y");
    const nodes = ["a", "b", "c", "d", "e", "x", "y"];
    const expected = new Set(["a", "b", "c", "d", "e"]);
    expect(nodesOnCycles(nodes, adj)).toEqual(expected);
    expect(nodesOnCycles([...nodes].reverse(), adj)).toEqual(expected);
  });

  it("ignores edges to nodes it was not given as long as they lead nowhere", () => {
    expect(nodesOnCycles(["a"], graph("a>ghost"))).toEqual(new Set());
  });

  it("handles a chain far longer than the call stack would allow recursively", () => {
    const n = 50_000;
    const nodes = Array.from({ length: n }, (_, i) => `n${i}`);
    const adj: Adjacency = new Map(nodes.slice(0, -1).map((id, i) => [id, [nodes[i + 1]!]]));
    expect(nodesOnCycles(nodes, adj).size).toBe(0);
    adj.set(nodes[n - 1]!, [nodes[0]!]);
    expect(nodesOnCycles(nodes, adj).size).toBe(n);
  });
});

describe("reachableFrom", () => {
  it("includes the starts and everything downstream, not what is upstream or apart", () => {
    const adj = graph("up>a", "a>b", "b>c", "x>y");
    expect(reachableFrom(["a"], adj)).toEqual(new Set(["a", "b", "c"]));
  });

  it("takes several starts and terminates on cycles", () => {
    const adj = graph("a>b", "b>a", "c>d", "d>d");
    expect(reachableFrom(["a", "c"], adj)).toEqual(new Set(["a", "b", "c", "d"]));
  });

  it("gives the empty set for no starts and only the start when it has no edges", () => {
    expect(reachableFrom([], graph("a>b"))).toEqual(new Set());
    expect(reachableFrom(["lonely"], graph("a>b"))).toEqual(new Set(["lonely"]));
  });

  it("accepts any iterable of starts", () => {
    expect(reachableFrom(new Set(["a"]), graph("a>b"))).toEqual(new Set(["a", "b"]));
  });
});
