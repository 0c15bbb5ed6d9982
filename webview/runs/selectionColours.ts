/**
 * Colours of the selected rows, the same in the table (a swatch) and the overlay chart (the curve): each
 * selected item keeps its slot while it stays selected, whatever else is selected, sorted or filtered; a newly
 * selected item takes the lowest free slot. Slot k is palette colour k mod n, drawn dashed from the second
 * round on, so more selections than colours stay distinguishable. Pure: no DOM.
 */

/** Slots after a selection change: kept for items still selected, the lowest free ones for new items, in order. */
export function assignColourSlots(previous: ReadonlyMap<string, number>, selected: readonly string[]): Map<string, number> {
  const slots = new Map<string, number>();
  for (const id of selected) {
    const slot = previous.get(id);
    if (slot !== undefined) slots.set(id, slot);
  }
  const taken = new Set(slots.values());
  let next = 0;
  for (const id of selected) {
    if (slots.has(id)) continue;
    while (taken.has(next)) next++;
    slots.set(id, next);
    taken.add(next);
  }
  return slots;
}

/** Which palette colour and whether dashed, for a slot. */
export function slotStyle(slot: number, paletteSize: number): { colourIndex: number; dashed: boolean } {
  return { colourIndex: slot % paletteSize, dashed: Math.floor(slot / paletteSize) % 2 === 1 };
}
