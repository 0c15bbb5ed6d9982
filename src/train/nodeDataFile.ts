/** `DataIo.openFile` on Node: a file descriptor read with `fs.readSync` at explicit positions. */
import * as fs from 'node:fs';
import type { DataFile } from '../data/types';

export function openNodeDataFile(filePath: string): DataFile {
  // Checked before opening: opening a FIFO blocks until a writer appears, and a device may never end.
  if (!fs.statSync(filePath).isFile()) throw new Error(`${filePath} is not a regular file`);
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
