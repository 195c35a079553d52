// Keeping the hidden classes of the objects a cycle makes and drops.
//
// V8 gives every object a hidden class (a "map") and compiles hot functions against the maps they have seen. An
// instance of a class gets its map by a chain of transitions, one per field its constructor adds, and V8 holds
// the maps of such a chain only through the objects that have them. A sheet's reading state (FirstRowById,
// LineListColumns, RowReader, SpellingCache) and a computation's EntryTable live for one sheet or one cycle:
// after a cycle the last of them dies, the next major collection frees their maps, and V8 throws away every
// optimized function that checks for those maps (`--trace-deopt`: "marking dependent code … reason: weak
// objects"). The next cycle then runs the sheet path unoptimized until V8 compiles it again: on the province of
// bench/ the first ten sheets of every run took 58–97 ms more than ten of its median sheets, 15–46 ms with these.
//
// One instance of each such class, kept here for the life of the process, keeps its maps and so the compiled
// code. A few hundred bytes in all; nothing reads them.
const kept: object[] = [];

/** Keeps `examples` alive for the life of the process (see above). */
export function keepShapes(...examples: object[]): void {
  for (const e of examples) kept.push(e);
}
