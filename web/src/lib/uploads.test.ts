import { describe, expect, it } from 'vitest';

import { localRefusal } from '../api/useUploads';
import { chartGeometry } from './chart';
import { MAX_UPLOAD_BYTES, checkUpload, formatBytes, isImageType } from './uploads';

describe('uploads', () => {
  it('accepts photos and PDFs up to 20 MiB, as the server does', () => {
    expect(checkUpload({ name: 'fuite.jpg', size: 3_000_000, type: 'image/jpeg' })).toBeNull();
    expect(checkUpload({ name: 'notice.pdf', size: 10, type: 'application/pdf' })).toBeNull();
    // Phones sometimes give no type for HEIC photos.
    expect(checkUpload({ name: 'IMG_0042.HEIC', size: 10, type: '' })).toBeNull();
    expect(checkUpload({ name: 'setup.exe', size: 10, type: 'application/x-msdownload' })).toEqual({
      code: 'unsupported_file_type',
    });
    expect(checkUpload({ name: 'big.png', size: MAX_UPLOAD_BYTES + 1, type: 'image/png' })).toEqual(
      { code: 'payload_too_large', max_bytes: MAX_UPLOAD_BYTES },
    );
  });

  it('shapes a local refusal like the server’s answer', () => {
    const refusal = localRefusal(new File(['x'], 'x.exe', { type: 'application/octet-stream' }));
    expect(refusal?.status).toBe(415);
    expect(refusal?.code).toBe('unsupported_file_type');
    expect(localRefusal(new File(['x'], 'x.png', { type: 'image/png' }))).toBeNull();
  });

  it('tells images from documents and writes sizes', () => {
    expect(isImageType('image/webp')).toBe(true);
    expect(isImageType('application/pdf')).toBe(false);
    expect(formatBytes(2_516_582, 'fr')).toBe('2,4 Mo');
    expect(formatBytes(2_516_582, 'en')).toBe('2.4 MB');
    expect(formatBytes(512, 'en')).toBe('512 B');
  });
});

describe('meter chart', () => {
  it('places readings in time order, highest value at the top', () => {
    const g = chartGeometry(
      [
        { value: 300, read_at: '2026-03-01T00:00:00Z' },
        { value: 100, read_at: '2026-01-01T00:00:00Z' },
        { value: 200, read_at: '2026-02-01T00:00:00Z' },
      ],
      100,
      50,
      0,
    );
    expect(g.points.map((p) => p.value)).toEqual([100, 200, 300]);
    expect(g.points[0]).toMatchObject({ x: 0, y: 50 });
    expect(g.points[2]).toMatchObject({ x: 100, y: 0 });
    expect(g.path.startsWith('M0 50 L')).toBe(true);
    expect([g.min, g.max]).toEqual([100, 300]);
  });

  it('copes with a single reading or a flat series', () => {
    const one = chartGeometry([{ value: 5, read_at: '2026-01-01T00:00:00Z' }], 100, 50, 0);
    expect(one.points[0]).toMatchObject({ x: 50, y: 25 });
    expect(chartGeometry([], 100, 50).points).toEqual([]);
  });
});
