import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { rule, useFormSubmit } from '../lib/forms';
import { checkName } from '../lib/validation';
import { FormError } from './FormError';

interface ReasonDialogProps {
  opened: boolean;
  title: string;
  message?: ReactNode;
  label: string;
  placeholder?: string;
  confirmLabel: string;
  danger?: boolean;
  /** Reasons are required by the server for hold, reopen, cancel and reject; optional elsewhere. */
  optional?: boolean;
  onConfirm: (reason: string) => Promise<unknown>;
  onClose: () => void;
}

/** Asks why (hold, reopen, cancel, reject, a status change) before doing it. */
export function ReasonDialog(props: ReasonDialogProps) {
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title}>
      {props.opened && <ReasonForm {...props} />}
    </Modal>
  );
}

function ReasonForm({
  message,
  label,
  placeholder,
  confirmLabel,
  danger,
  optional,
  onConfirm,
  onClose,
}: ReasonDialogProps) {
  const { t, i18n } = useTranslation();
  const form = useForm({
    initialValues: { reason: '' },
    validate: {
      reason: optional ? undefined : rule(i18n, (v: string) => checkName(v, 1000)),
    },
  });
  const { busy, general, submit } = useFormSubmit(form, async ({ reason }: { reason: string }) => {
    await onConfirm(reason.trim());
    onClose();
  });
  return (
    <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
      <Stack gap="md">
        {message && <Text size="sm">{message}</Text>}
        <FormError message={general} />
        <Textarea
          label={label}
          placeholder={placeholder}
          required={!optional}
          autosize
          minRows={3}
          maxRows={8}
          data-autofocus
          {...form.getInputProps('reason')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" color={danger ? 'red' : undefined} loading={busy}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
