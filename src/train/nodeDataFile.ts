/** `DataIo.openFile` on Node: a file descriptor read with `fs.readSync` at explicit positions. */
import * as fs from 'node:fs';
import type { DataFile } from '../data/types';
import { describeDataFileKind, NotARegularFileError } from '../modelSpec/dataFileKind';

export function openNodeDataFile(filePath: string): DataFile {
  // Checked before opening: opening a FIFO blocks until a writer appears, and a device may never end.
  const kind = describeDataFileKind(fs.statSync(filePath));
  if (kind !== 'file') throw new NotARegularFileError(filePath, kind);
  const fd = fs.openSync(filePath, 'r');
  const size = fs.fstatSync(fd).size;
  let open = true;
  return {
    size,
    read: (position, target) => fs.readSync(fd, target, 0, target.length, position),
    close: () => {
      if (open) fs.closeSync(fd);
      open = false;
    },
  };
}
