import { readFileSync } from 'node:fs';

// Reading a downloaded WAV as an independent reader would: its RIFF chunks, its INFO fields, its audio bytes.

type Chunk = { id: string; body: Buffer };

function chunks(wav: Buffer): Chunk[] {
  if (wav.toString('latin1', 0, 4) !== 'RIFF' || wav.toString('latin1', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  const found: Chunk[] = [];
  for (let at = 12; at + 8 <= wav.length; ) {
    const size = wav.readUInt32LE(at + 4);
    found.push({ id: wav.toString('latin1', at, at + 4), body: wav.subarray(at + 8, Math.min(at + 8 + size, wav.length)) });
    at += 8 + size + (size % 2);
  }
  return found;
}

/** The file's INFO fields, by id (INAM, ISFT, ICMT, ICRD…). */
export function infoOf(wav: Buffer): Record<string, string> {
  const list = chunks(wav).find((chunk) => chunk.id === 'LIST' && chunk.body.toString('latin1', 0, 4) === 'INFO');
  const fields: Record<string, string> = {};
  if (!list) return fields;
  for (let at = 4; at + 8 <= list.body.length; ) {
    const size = list.body.readUInt32LE(at + 4);
    fields[list.body.toString('latin1', at, at + 4)] = list.body.toString('utf8', at + 8, at + 8 + size).replace(/\0+$/, '');
    at += 8 + size + (size % 2);
  }
  return fields;
}

/** The file's audio: its data chunk's bytes. */
export function audioOf(wav: Buffer): Buffer | undefined {
  return chunks(wav).find((chunk) => chunk.id === 'data')?.body;
}

export function readWav(path: string): Buffer {
  return readFileSync(path);
}

/** The ids of the file's chunks, in order ("fmt ", "data", "LIST", "C2PA"…). */
export function chunkIds(wav: Buffer): string[] {
  return chunks(wav).map((chunk) => chunk.id);
}
