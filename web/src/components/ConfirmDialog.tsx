import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { errorMessage } from '../i18n/messages';

interface ConfirmDialogProps {
  opened: boolean;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  /** Red button for what cannot be undone. */
  danger?: boolean;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
  /** Extra explanation for an error code (e.g. a link to fix a `role_in_use`). */
  renderError?: (error: unknown) => ReactNode;
}

/**
 * Asks before a destructive action. The action's error (a 409 such as `has_children`) is shown
 * inside the dialog, so the person reads why and what to do.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { opened, onClose } = props;
  return (
    <Modal opened={opened} onClose={onClose} title={props.title} size="md">
      {opened && <ConfirmBody {...props} />}
    </Modal>
  );
}

function ConfirmBody({
  message,
  confirmLabel,
  danger,
  onConfirm,
  onClose,
  renderError,
}: ConfirmDialogProps) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="md">
      <Text size="sm">{message}</Text>
      {error !== null && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle />} role="alert">
          <Stack gap={6}>
            <Text size="sm">{errorMessage(i18n, error)}</Text>
            {renderError?.(error)}
          </Stack>
        </Alert>
      )}
      <Group justify="flex-end" gap="sm">
        {/* For what cannot be undone, the keyboard starts on the safe choice. */}
        <Button variant="default" onClick={onClose} data-autofocus={danger ? true : undefined}>
          {t('common.cancel')}
        </Button>
        <Button
          color={danger ? 'red' : undefined}
          loading={busy}
          onClick={() => void confirm()}
          data-autofocus={danger ? undefined : true}
        >
          {confirmLabel}
        </Button>
      </Group>
    </Stack>
  );
}
