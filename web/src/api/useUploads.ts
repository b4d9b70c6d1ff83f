// A queue of uploads with their progress, one file after the other (kinder to a phone on a weak
// network), each of which can be retried or dismissed when it fails.
import { useCallback, useEffect, useRef, useState } from 'react';

import { checkUpload } from '../lib/uploads';
import type { AttachmentInfo } from './client';
import { ApiError } from './errors';
import { uploadFile } from './files';

export type UploadStatus = 'waiting' | 'uploading' | 'done' | 'failed';

export interface UploadItem {
  key: string;
  file: File;
  /** Where it goes: `/requests/{id}/attachments`… */
  path: string;
  progress: number;
  status: UploadStatus;
  error: unknown;
}

let counter = 0;

/** The client-side refusal of a file, shaped like the server's (413 / 415). */
export function localRefusal(file: File): ApiError | null {
  const problem = checkUpload(file);
  if (!problem) return null;
  const { code, ...details } = problem;
  return new ApiError(code === 'payload_too_large' ? 413 : 415, code, '', details);
}

export function useUploads(onUploaded?: (info: AttachmentInfo, item: UploadItem) => void) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const uploaded = useRef(onUploaded);
  useEffect(() => {
    uploaded.current = onUploaded;
  });

  const patch = (key: string, changes: Partial<UploadItem>) =>
    setItems((list) => list.map((i) => (i.key === key ? { ...i, ...changes } : i)));

  const schedule = useCallback((item: UploadItem) => {
    chain.current = chain.current.then(async () => {
      patch(item.key, { status: 'uploading', progress: 0, error: null });
      try {
        const info = await uploadFile(item.path, item.file, (progress) =>
          patch(item.key, { progress }),
        );
        patch(item.key, { status: 'done', progress: 1 });
        uploaded.current?.(info, item);
      } catch (error) {
        patch(item.key, { status: 'failed', error });
      }
    });
  }, []);

  const add = useCallback(
    (path: string, files: readonly File[]) => {
      const added: UploadItem[] = files.map((file) => {
        counter += 1;
        const refusal = localRefusal(file);
        return {
          key: `upload-${counter}`,
          file,
          path,
          progress: 0,
          status: refusal ? 'failed' : 'waiting',
          error: refusal,
        };
      });
      setItems((list) => [...list, ...added]);
      for (const item of added) if (item.status === 'waiting') schedule(item);
    },
    [schedule],
  );

  const retry = useCallback(
    (key: string) => {
      const item = items.find((i) => i.key === key);
      if (!item || localRefusal(item.file)) return;
      patch(key, { status: 'waiting', progress: 0, error: null });
      schedule(item);
    },
    [items, schedule],
  );

  const dismiss = useCallback((key: string) => {
    setItems((list) => list.filter((i) => i.key !== key));
  }, []);

  const clearDone = useCallback(() => {
    setItems((list) => list.filter((i) => i.status !== 'done'));
  }, []);

  return {
    items,
    add,
    retry,
    dismiss,
    clearDone,
    busy: items.some((i) => i.status === 'waiting' || i.status === 'uploading'),
    failed: items.filter((i) => i.status === 'failed').length,
  };
}
