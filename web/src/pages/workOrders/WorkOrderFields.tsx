// The fields of a work order as every form that writes one asks them (new order, edit, approval,
// follow-up, template): one label, one range and one way of typing each, wherever it is asked.
import {
  NumberInput,
  Select,
  TextInput,
  Textarea,
  type NumberInputProps,
  type SelectProps,
  type TextInputProps,
  type TextareaProps,
} from '@mantine/core';
import { DateTimePicker, type DateTimePickerProps } from '@mantine/dates';
import { useTranslation } from 'react-i18next';

import { PRIORITIES, WORK_ORDER_TYPES } from '../../lib/maintenance';
import { ESTIMATE_MAX } from '../../lib/workOrderForm';

export function TitleField(props: TextInputProps) {
  const { t } = useTranslation();
  return <TextInput label={t('workOrders.titleLabel')} required {...props} />;
}

export function DescriptionField(props: TextareaProps) {
  const { t } = useTranslation();
  return (
    <Textarea
      label={t('workOrders.descriptionLabel')}
      autosize
      minRows={3}
      maxRows={8}
      {...props}
    />
  );
}

export function PrioritySelect(props: Omit<SelectProps, 'data'>) {
  const { t } = useTranslation();
  return (
    <Select
      label={t('workOrders.priority')}
      data={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
      allowDeselect={false}
      comboboxProps={{ withinPortal: true }}
      {...props}
    />
  );
}

export function TypeSelect(props: Omit<SelectProps, 'data'>) {
  const { t } = useTranslation();
  return (
    <Select
      label={t('workOrders.type')}
      data={WORK_ORDER_TYPES.map((v) => ({ value: v, label: t(`woType.${v}`) }))}
      allowDeselect={false}
      comboboxProps={{ withinPortal: true }}
      {...props}
    />
  );
}

export function DueAtPicker(props: DateTimePickerProps) {
  const { t } = useTranslation();
  return (
    <DateTimePicker
      label={t('workOrders.dueAt')}
      placeholder={t('workOrders.noDueDate')}
      valueFormat="D MMM YYYY HH:mm"
      clearable
      {...props}
    />
  );
}

export function EstimateInput(props: NumberInputProps) {
  const { t } = useTranslation();
  return (
    <NumberInput
      label={t('workOrders.estimatedMinutes')}
      min={1}
      max={ESTIMATE_MAX}
      allowDecimal={false}
      allowNegative={false}
      {...props}
    />
  );
}
