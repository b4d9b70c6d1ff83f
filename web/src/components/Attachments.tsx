// Photos and documents of equipment, requests and work orders: thumbnails, download, delete,
// and uploads (from the phone's camera too) with their progress.
import {
  ActionIcon,
  AspectRatio,
  Box,
  Button,
  Card,
  Center,
  FileButton,
  Group,
  Image,
  Loader,
  Modal,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconCamera,
  IconDownload,
  IconFileTypePdf,
  IconPaperclip,
  IconPhoto,
  IconRefresh,
  IconTrash,
  IconUpload,
  IconX,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { apiFetch, type AttachmentInfo } from '../api/client';
import { ApiError, toApiError } from '../api/errors';
import { downloadFile, openFile, useObjectUrl } from '../api/files';
import { attachmentsPath, useAttachments, type AttachmentOwner } from '../api/queries';
import { useUploads, type UploadItem } from '../api/useUploads';
import { errorMessage } from '../i18n/messages';
import { formatDateTime } from '../lib/format';
import { ACCEPTED_FILES, formatBytes, isImageType } from '../lib/uploads';
import { ConfirmDialog } from './ConfirmDialog';
import { Empty } from './Empty';
import { QueryError } from './QueryError';

/** A photo fetched with the session (the API wants the bearer token). */
export function AuthImage({
  url,
  alt,
  fit = 'cover',
  h,
}: {
  url: string;
  alt: string;
  fit?: 'cover' | 'contain';
  h?: number | string;
}) {
  const { url: src, error } = useObjectUrl(url);
  if (error) {
    return (
      <Center h={h ?? '100%'} bg="gray.1">
        <IconPhoto size={28} color="var(--mantine-color-gray-5)" aria-hidden />
      </Center>
    );
  }
  if (!src) return <Skeleton h={h ?? '100%'} radius={0} />;
  return <Image src={src} alt={alt} fit={fit} h={h ?? '100%'} w="100%" />;
}

function Tile({
  attachment,
  canDelete,
  onPreview,
  onDelete,
}: {
  attachment: AttachmentInfo;
  canDelete: boolean;
  onPreview: () => void;
  onDelete: () => void;
}) {
  const { t, i18n } = useTranslation();
  const image = isImageType(attachment.content_type);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      await downloadFile(attachment.url, attachment.file_name);
    } catch (error) {
      notifications.show({ color: 'red', message: errorMessage(i18n, error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card p={0} data-testid="attachment" style={{ overflow: 'hidden' }}>
      <Box
        component="button"
        type="button"
        onClick={onPreview}
        aria-label={t('attachments.open', { name: attachment.file_name })}
        style={{ border: 0, padding: 0, background: 'none', cursor: 'pointer', display: 'block' }}
        w="100%"
      >
        <AspectRatio ratio={4 / 3}>
          {image ? (
            <AuthImage url={attachment.url} alt={attachment.file_name} />
          ) : (
            <Center bg="gray.0">
              <ThemeIcon size={56} variant="light" color="red" radius="md" aria-hidden>
                <IconFileTypePdf size={32} />
              </ThemeIcon>
            </Center>
          )}
        </AspectRatio>
      </Box>
      <Group p="xs" gap={4} wrap="nowrap" justify="space-between">
        <Box style={{ minWidth: 0 }}>
          <Text size="sm" fw={500} truncate title={attachment.file_name}>
            {attachment.file_name}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {formatBytes(attachment.size_bytes, i18n.language)} ·{' '}
            {formatDateTime(attachment.created_at, i18n.language)}
          </Text>
        </Box>
        <Group gap={0} wrap="nowrap">
          <Tooltip label={t('attachments.download')}>
            <ActionIcon
              variant="subtle"
              color="gray"
              onClick={() => void download()}
              loading={busy}
              aria-label={t('attachments.downloadNamed', { name: attachment.file_name })}
            >
              <IconDownload size={18} />
            </ActionIcon>
          </Tooltip>
          {canDelete && (
            <Tooltip label={t('common.delete')}>
              <ActionIcon
                variant="subtle"
                color="red"
                onClick={onDelete}
                aria-label={t('attachments.deleteNamed', { name: attachment.file_name })}
              >
                <IconTrash size={18} />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
      </Group>
    </Card>
  );
}

/** The uploads under way or refused, with their progress and a retry. */
export function UploadList({
  items,
  onRetry,
  onDismiss,
}: {
  items: UploadItem[];
  onRetry: (key: string) => void;
  onDismiss: (key: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const shown = items.filter((i) => i.status !== 'done');
  if (shown.length === 0) return null;
  return (
    <Stack gap="xs" aria-live="polite">
      {shown.map((item) => (
        <Card key={item.key} p="sm" data-testid="upload" data-status={item.status}>
          <Group gap="sm" wrap="nowrap">
            {item.status === 'failed' ? (
              <ThemeIcon color="red" variant="light" aria-hidden>
                <IconX size={18} />
              </ThemeIcon>
            ) : (
              <Loader size={20} />
            )}
            <Box style={{ flex: 1, minWidth: 0 }}>
              <Group justify="space-between" gap="xs" wrap="nowrap">
                <Text size="sm" fw={500} truncate>
                  {item.file.name}
                </Text>
                <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                  {item.status === 'failed'
                    ? t('attachments.failed')
                    : item.status === 'waiting'
                      ? t('attachments.waiting')
                      : `${Math.round(item.progress * 100)} %`}
                </Text>
              </Group>
              {item.status === 'failed' ? (
                <Text size="xs" c="red.8">
                  {errorMessage(i18n, item.error)}
                </Text>
              ) : (
                <Progress
                  value={item.progress * 100}
                  mt={6}
                  size="sm"
                  animated={item.status === 'uploading'}
                  aria-label={t('attachments.progress', { name: item.file.name })}
                />
              )}
            </Box>
            {item.status === 'failed' && (
              <Group gap={4} wrap="nowrap">
                {!(item.error instanceof ApiError && [413, 415].includes(item.error.status)) ? (
                  <Button
                    size="compact-sm"
                    variant="light"
                    leftSection={<IconRefresh size={14} />}
                    onClick={() => onRetry(item.key)}
                  >
                    {t('common.retry')}
                  </Button>
                ) : null}
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  onClick={() => onDismiss(item.key)}
                  aria-label={t('attachments.dismiss', { name: item.file.name })}
                >
                  <IconX size={16} />
                </ActionIcon>
              </Group>
            )}
          </Group>
        </Card>
      ))}
    </Stack>
  );
}

/** Buttons that pick files: from the camera (phones) and from the device. */
export function FilePickers({
  onFiles,
  camera = true,
  photosOnly = false,
  size = 'sm',
  disabled,
  fullWidth = false,
  single = false,
}: {
  onFiles: (files: File[]) => void;
  camera?: boolean;
  photosOnly?: boolean;
  /** One photo only (the public portal's report takes one). */
  single?: boolean;
  size?: 'sm' | 'md' | 'lg';
  disabled?: boolean;
  /** Big buttons filling the width (phones). */
  fullWidth?: boolean;
}) {
  const { t } = useTranslation();
  const buttons = (
    <>
      {camera && (
        <FileButton
          onChange={(file) => file && onFiles([file])}
          accept="image/*"
          capture="environment"
          disabled={disabled}
        >
          {(props) => (
            <Button
              {...props}
              size={size}
              fullWidth={fullWidth}
              leftSection={<IconCamera size={18} />}
              disabled={disabled}
            >
              {t('attachments.takePhoto')}
            </Button>
          )}
        </FileButton>
      )}
      <FileButton
        onChange={(picked: File | File[] | null) => {
          const files = picked === null ? [] : Array.isArray(picked) ? picked : [picked];
          if (files.length > 0) onFiles(files);
        }}
        accept={photosOnly ? 'image/*' : ACCEPTED_FILES}
        multiple={!single}
        disabled={disabled}
      >
        {(props) => (
          <Button
            {...props}
            size={size}
            fullWidth={fullWidth}
            variant="default"
            leftSection={<IconUpload size={18} />}
            disabled={disabled}
          >
            {single
              ? t('attachments.addPhoto')
              : photosOnly
                ? t('attachments.addPhotos')
                : t('attachments.addFiles')}
          </Button>
        )}
      </FileButton>
    </>
  );
  return fullWidth ? (
    <SimpleGrid cols={{ base: 1, xs: camera ? 2 : 1 }} spacing="sm">
      {buttons}
    </SimpleGrid>
  ) : (
    <Group gap="sm" wrap="wrap">
      {buttons}
    </Group>
  );
}

interface AttachmentsProps {
  owner: AttachmentOwner;
  canUpload: boolean;
  canDelete: boolean;
  emptyText?: string;
  /** Equipment documents are photos and PDFs; requests and orders are mostly photos. */
  camera?: boolean;
  cols?: { base?: number; xs?: number; sm?: number; md?: number; lg?: number };
  /** Inside a section of a page: a line of text rather than a large empty state. */
  quiet?: boolean;
}

export function Attachments({
  owner,
  canUpload,
  canDelete,
  emptyText,
  camera = true,
  cols = { base: 2, sm: 3, lg: 4 },
  quiet = false,
}: AttachmentsProps) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const list = useAttachments(owner);
  const [preview, setPreview] = useState<AttachmentInfo | null>(null);
  const [deleting, setDeleting] = useState<AttachmentInfo | null>(null);
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: ['attachments', owner.kind, owner.id] });
  const uploads = useUploads(() => {
    void refresh();
  });
  const items = list.data?.items ?? [];

  const remove = async (attachment: AttachmentInfo) => {
    const response = await apiFetch(attachment.url, { method: 'DELETE' });
    if (!response.ok) {
      throw toApiError(response.status, await response.json().catch(() => null));
    }
    await refresh();
    notifications.show({
      color: 'teal',
      message: t('attachments.deleted', { name: attachment.file_name }),
    });
  };

  const openPreview = (attachment: AttachmentInfo) => {
    if (isImageType(attachment.content_type)) {
      setPreview(attachment);
      return;
    }
    openFile(attachment.url).catch((error: unknown) =>
      notifications.show({ color: 'red', message: errorMessage(i18n, error) }),
    );
  };

  return (
    <Stack gap="md">
      {canUpload && (
        <Group justify="space-between" gap="sm">
          <Text size="sm" c="dimmed">
            {t('attachments.help')}
          </Text>
          <FilePickers
            camera={camera}
            onFiles={(files) => uploads.add(attachmentsPath(owner), files)}
          />
        </Group>
      )}
      <UploadList items={uploads.items} onRetry={uploads.retry} onDismiss={uploads.dismiss} />
      {list.isError && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending ? (
        <SimpleGrid cols={cols} spacing="md">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} h={150} />
          ))}
        </SimpleGrid>
      ) : items.length === 0 ? (
        uploads.items.length === 0 &&
        (quiet ? (
          <Text size="sm" c="dimmed">
            {emptyText ?? t('attachments.empty')}
          </Text>
        ) : (
          <Empty
            py={32}
            icon={<IconPaperclip size={28} />}
            title={emptyText ?? t('attachments.empty')}
          />
        ))
      ) : (
        <SimpleGrid cols={cols} spacing="md">
          {items.map((attachment) => (
            <Tile
              key={attachment.id}
              attachment={attachment}
              canDelete={canDelete}
              onPreview={() => openPreview(attachment)}
              onDelete={() => setDeleting(attachment)}
            />
          ))}
        </SimpleGrid>
      )}
      <Modal
        opened={preview !== null}
        onClose={() => setPreview(null)}
        title={preview?.file_name}
        size="xl"
      >
        {preview && (
          <Stack>
            <Box h="min(70vh, 640px)">
              <AuthImage url={preview.url} alt={preview.file_name} fit="contain" />
            </Box>
            <Text size="sm" c="dimmed">
              {t('attachments.uploadedBy', {
                name: preview.uploaded_by_name ?? t('audit.system'),
                date: formatDateTime(preview.created_at, i18n.language),
              })}
            </Text>
          </Stack>
        )}
      </Modal>
      <ConfirmDialog
        opened={deleting !== null}
        title={t('attachments.deleteTitle')}
        message={t('attachments.deleteText', { name: deleting?.file_name ?? '' })}
        confirmLabel={t('common.delete')}
        danger
        onConfirm={() => (deleting ? remove(deleting) : Promise.resolve())}
        onClose={() => setDeleting(null)}
      />
    </Stack>
  );
}

/** A few thumbnails of an object's photos (inbox cards), without actions. */
export function PhotoStrip({ owner, max = 4 }: { owner: AttachmentOwner; max?: number }) {
  const { t } = useTranslation();
  const list = useAttachments(owner);
  const photos = (list.data?.items ?? []).filter((a) => isImageType(a.content_type));
  const [preview, setPreview] = useState<AttachmentInfo | null>(null);
  if (photos.length === 0) return null;
  return (
    <>
      <Group gap={6} aria-label={t('attachments.photos')}>
        {photos.slice(0, max).map((photo) => (
          <Box
            key={photo.id}
            component="button"
            type="button"
            onClick={() => setPreview(photo)}
            aria-label={t('attachments.open', { name: photo.file_name })}
            w={64}
            h={64}
            style={{
              border: '1px solid var(--mantine-color-gray-3)',
              borderRadius: 8,
              overflow: 'hidden',
              padding: 0,
              cursor: 'pointer',
            }}
          >
            <AuthImage url={photo.url} alt={photo.file_name} />
          </Box>
        ))}
        {photos.length > max && (
          <Text size="sm" c="dimmed">
            +{photos.length - max}
          </Text>
        )}
      </Group>
      <Modal
        opened={preview !== null}
        onClose={() => setPreview(null)}
        title={preview?.file_name}
        size="xl"
      >
        {preview && (
          <Box h="min(70vh, 640px)">
            <AuthImage url={preview.url} alt={preview.file_name} fit="contain" />
          </Box>
        )}
      </Modal>
    </>
  );
}
