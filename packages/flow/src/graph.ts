/** Directed graph helpers over node ids, used by the validator. */
export type Adjacency = Map<string, string[]>;

/**
 * Nodes that lie on a cycle (Tarjan's strongly connected components): members of
 * a component with more than one node, and nodes with a self loop. Iterative so a
 * long chain cannot overflow the stack.
 */
export function nodesOnCycles(nodes: readonly string[], adj: Adjacency): Set<string> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result = new Set<string>();
  let counter = 0;

  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const succ = adj.get(frame.id) ?? [];
      if (frame.next < succ.length) {
        const w = succ[frame.next++]!;
        if (w === frame.id) result.add(w);
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ id: w, next: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.id);
        if (component.length > 1) for (const c of component) result.add(c);
      }
    }
  }
  return result;
}

/** Every node reachable from the starts (the starts included). */
export function reachableFrom(starts: Iterable<string>, adj: Adjacency): Set<string> {
  const seen = new Set<string>(starts);
  const todo = [...seen];
  while (todo.length > 0) {
    const id = todo.pop()!;
    for (const w of adj.get(id) ?? []) {
      if (!seen.has(w)) {
        seen.add(w);
        todo.push(w);
      }
    }
  }
  return seen;
}
