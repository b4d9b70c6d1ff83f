// The coloured labels of the maintenance cycle, the same on every page.
import { Badge, Text, Tooltip, type BadgeProps } from '@mantine/core';
import { IconAlarm, IconAlertOctagon } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

import type {
  Criticality,
  EquipmentStatus,
  Priority,
  RequestProgress,
  Urgency,
  WorkOrderStatus,
  WorkRequestStatus,
} from '../api/client';
import {
  CRITICALITY_COLOR,
  EQUIPMENT_STATUS_COLOR,
  PRIORITY_COLOR,
  REQUEST_PROGRESS_COLOR,
  REQUEST_STATUS_COLOR,
  URGENCY_COLOR,
  WORK_ORDER_STATUS_COLOR,
} from '../lib/maintenance';
import { PLAN_STATE_COLOR, complianceColor, formatCompliance, type PlanState } from '../lib/pm';

type Size = BadgeProps['size'];

export function WorkOrderStatusBadge({
  status,
  size = 'md',
}: {
  status: WorkOrderStatus;
  size?: Size;
}) {
  const { t } = useTranslation();
  return (
    <Badge
      className="badge-nowrap"
      color={WORK_ORDER_STATUS_COLOR[status]}
      variant="light"
      size={size}
      data-status={status}
    >
      {t(`woStatus.${status}`)}
    </Badge>
  );
}

export function PriorityBadge({ priority, size = 'md' }: { priority: Priority; size?: Size }) {
  const { t } = useTranslation();
  return (
    <Badge className="badge-nowrap" color={PRIORITY_COLOR[priority]} variant="dot" size={size}>
      {t(`priority.${priority}`)}
    </Badge>
  );
}

export function UrgencyBadge({ urgency, size = 'md' }: { urgency: Urgency; size?: Size }) {
  const { t } = useTranslation();
  return (
    <Badge className="badge-nowrap" color={URGENCY_COLOR[urgency]} variant="dot" size={size}>
      {t(`urgency.${urgency}`)}
    </Badge>
  );
}

export function CriticalityBadge({ value, size = 'md' }: { value: Criticality; size?: Size }) {
  const { t } = useTranslation();
  return (
    <Badge className="badge-nowrap" color={CRITICALITY_COLOR[value]} variant="outline" size={size}>
      {t(`criticality.${value}`)}
    </Badge>
  );
}

export function EquipmentStatusBadge({
  status,
  size = 'md',
}: {
  status: EquipmentStatus;
  size?: Size;
}) {
  const { t } = useTranslation();
  return (
    <Badge
      className="badge-nowrap"
      color={EQUIPMENT_STATUS_COLOR[status]}
      variant={status === 'broken' ? 'filled' : 'light'}
      size={size}
      data-testid="equipment-status"
      data-status={status}
    >
      {t(`equipmentStatus.${status}`)}
    </Badge>
  );
}

export function RequestStatusBadge({
  status,
  size = 'md',
}: {
  status: WorkRequestStatus;
  size?: Size;
}) {
  const { t } = useTranslation();
  return (
    <Badge
      className="badge-nowrap"
      color={REQUEST_STATUS_COLOR[status]}
      variant="light"
      size={size}
      data-status={status}
    >
      {t(`requestStatus.${status}`)}
    </Badge>
  );
}

/** Where a request stands for its requester, in one word: the decision, then the work. */
export function RequestProgressBadge({
  progress,
  size = 'md',
}: {
  progress: RequestProgress;
  size?: Size;
}) {
  const { t } = useTranslation();
  return (
    <Badge
      className="badge-nowrap"
      color={REQUEST_PROGRESS_COLOR[progress]}
      variant="light"
      size={size}
      data-testid="request-progress"
      data-progress={progress}
    >
      {t(`requestProgress.${progress}`)}
    </Badge>
  );
}

export function OverdueBadge({ size = 'md' }: { size?: Size }) {
  const { t } = useTranslation();
  return (
    <Badge
      className="badge-nowrap"
      color="red"
      variant="filled"
      size={size}
      leftSection={<IconAlarm size={12} />}
    >
      {t('workOrders.overdue')}
    </Badge>
  );
}

export function StoppedBadge({ size = 'md' }: { size?: Size }) {
  const { t } = useTranslation();
  return (
    <Badge
      className="badge-nowrap"
      color="red"
      variant="light"
      size={size}
      leftSection={<IconAlertOctagon size={12} />}
    >
      {t('requests.productionStopped')}
    </Badge>
  );
}

/** A preventive plan's state: active, paused or archived. */
export function PlanStateBadge({ state, size = 'md' }: { state: PlanState; size?: Size }) {
  const { t } = useTranslation();
  return (
    <Badge
      className="badge-nowrap"
      color={PLAN_STATE_COLOR[state]}
      variant={state === 'active' ? 'light' : 'outline'}
      size={size}
      data-testid="plan-state"
      data-state={state}
    >
      {t(`pm.states.${state}`)}
    </Badge>
  );
}

/** A plan's on-time rate, green, orange or red; said in words without history. */
export function ComplianceBadge({
  compliance,
  size = 'md',
}: {
  compliance: number | null | undefined;
  size?: Size;
}) {
  const { t, i18n } = useTranslation();
  const color = complianceColor(compliance);
  if (compliance == null || !Number.isFinite(compliance)) {
    return (
      <Text span size="xs" c="dimmed" data-testid="compliance" data-color={color}>
        {t('pm.noHistory')}
      </Text>
    );
  }
  return (
    <Tooltip label={t('pm.complianceHelp')}>
      <Badge
        className="badge-nowrap"
        color={color}
        variant="light"
        size={size}
        data-testid="compliance"
        data-color={color}
      >
        {formatCompliance(compliance, i18n.language)}
      </Badge>
    </Tooltip>
  );
}
