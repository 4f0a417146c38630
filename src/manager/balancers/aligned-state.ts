import type { EndpointView } from './balancer.js';

/**
 * Per-endpoint numeric state kept in an array aligned with the candidate array, so hot loops index by
 * position instead of looking ids up. Alignment is checked by object identity (one pointer compare per
 * endpoint: the composer reuses its view objects); when the views change it re-aligns by id, carrying
 * each endpoint's value over (new endpoints start from `init(id)`).
 */
export class AlignedState {
  private views: readonly EndpointView[] = [];
  /** values[i] belongs to the i-th candidate of the last aligned array. */
  values: number[] = [];

  constructor(private readonly init: (id: string) => number) {}

  align(candidates: readonly EndpointView[]): void {
    const views = this.views;
    if (views.length === candidates.length) {
      let i = 0;
      while (i < views.length && views[i] === candidates[i]) i++;
      if (i === views.length) return;
    }
    const old = new Map<string, number>();
    for (let i = 0; i < views.length; i++) old.set(views[i]!.id, this.values[i]!);
    this.views = candidates.slice();
    this.values = candidates.map((c) => old.get(c.id) ?? this.init(c.id));
  }
}
