import { planProductEventBatch, slices } from '../../../functions/core/product-event-batch';

const A = '0b6d3e39-4d43-4bb2-9bde-7cb4b9b1b7a0';
const B = '0b6d3e39-4d43-4bb2-9bde-7cb4b9b1b7a1';
const at = (minute: number) => `2026-11-28T12:${String(minute).padStart(2, '0')}:00.000Z`;

describe("a batch of a PIM's product events", () => {
  it("takes each product's latest change by time, whatever the delivery order", () => {
    const batch = planProductEventBatch([
      { eventId: '2', change: 'deleted', productUuid: A, time: at(2) },
      { eventId: '1', change: 'updated', productUuid: A, time: at(1) },
      { eventId: '3', change: 'created', productUuid: B, time: at(3) },
      { eventId: '4', change: 'updated', productUuid: B, time: at(4) },
    ]);

    expect(batch.changed).toEqual([B]);
    expect(batch.deleted).toEqual([A]);
    expect(batch.window).toEqual({ from: at(1), to: at(4) });
  });

  it('names the same run for the same events (a retried batch rewrites its run), another for other events', () => {
    const events = [
      { eventId: '1', change: 'updated' as const, productUuid: A, time: at(1) },
      { eventId: '2', change: 'updated' as const, productUuid: B, time: at(2) },
    ];

    const run = planProductEventBatch(events).runId;

    expect(planProductEventBatch([...events].reverse()).runId).toBe(run);
    expect(planProductEventBatch(events.slice(0, 1)).runId).not.toBe(run);
    expect(run).toMatch(/^20261128T120200Z-events-[0-9a-f]{8}$/);
  });

  it('refuses an empty batch, and slices uuids by 100 for the IN filter', () => {
    expect(() => planProductEventBatch([])).toThrow('at least one event');
    expect(
      slices(
        Array.from({ length: 250 }, (_, i) => i),
        100,
      ).map((slice) => slice.length),
    ).toEqual([100, 100, 50]);
  });
});
