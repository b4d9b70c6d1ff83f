// FullCalendar, loaded only by the calendar page (React.lazy): the app's other pages do not
// carry its weight. The page drives it (view, date, events); it reports clicks and drops.
import type { EventClickArg, EventContentArg, EventDropArg } from '@fullcalendar/core';
import enGbLocale from '@fullcalendar/core/locales/en-gb';
import frLocale from '@fullcalendar/core/locales/fr';
import dayGridPlugin from '@fullcalendar/daygrid';
import interactionPlugin from '@fullcalendar/interaction';
import listPlugin from '@fullcalendar/list';
import FullCalendar from '@fullcalendar/react';
import timeGridPlugin from '@fullcalendar/timegrid';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

import type { CalendarEntry } from '../../api/client';
import {
  FULLCALENDAR_VIEW,
  isTimedView,
  type CalendarEvent,
  type CalendarView,
} from '../../lib/calendar';

export interface MaintenanceCalendarProps {
  view: CalendarView;
  /** The day the view shows (a month: any of its days). */
  anchor: Date;
  events: CalendarEvent[];
  onOpen: (entry: CalendarEntry) => void;
  /** An order dropped on another date; `revert` puts it back when the server refuses. */
  onMove: (entry: CalendarEntry, dueAt: Date, revert: () => void) => void;
}

const PLUGINS = [dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin];

function EventContent({ arg }: { arg: EventContentArg }) {
  const { t } = useTranslation();
  const entry = arg.event.extendedProps.entry as CalendarEntry;
  const forecast = entry.kind !== 'work_order';
  const urgent = entry.priority === 'urgent' || entry.priority === 'high';
  const detailed = arg.view.type !== 'dayGridMonth';
  return (
    <div
      className="cal-event-inner"
      data-testid="calendar-event"
      data-kind={entry.kind}
      data-number={entry.number ?? undefined}
      data-occurrence={entry.occurrence ?? undefined}
      data-draggable={arg.event.startEditable === true ? 'true' : 'false'}
      title={`${arg.event.title} — ${entry.equipment_code} ${entry.equipment_name}`}
    >
      {arg.timeText && <span className="cal-time">{arg.timeText}</span>}
      {forecast && <span className="cal-tag">{t('calendar.forecastBadge')}</span>}
      {urgent && !forecast && (
        <span className="cal-urgent" aria-label={t(`priority.${entry.priority}`)}>
          !
        </span>
      )}
      {/* A month's cells are narrow: the work's title there, its number too elsewhere. */}
      <span className="cal-title">{detailed ? arg.event.title : entry.title}</span>
      {detailed && <span className="cal-equipment">{entry.equipment_code}</span>}
    </div>
  );
}

export default function MaintenanceCalendar({
  view,
  anchor,
  events,
  onOpen,
  onMove,
}: MaintenanceCalendarProps) {
  const { i18n } = useTranslation();
  const ref = useRef<FullCalendar>(null);
  const target = FULLCALENDAR_VIEW[view];
  const day = anchor.getTime();

  // The page's toolbar moves the calendar; FullCalendar's own is hidden.
  useEffect(() => {
    const calendar = ref.current?.getApi();
    if (!calendar) return;
    if (calendar.view.type !== target) calendar.changeView(target, new Date(day));
    else calendar.gotoDate(new Date(day));
  }, [target, day]);

  return (
    <div className="maintenance-calendar" data-testid="maintenance-calendar" data-view={view}>
      <FullCalendar
        ref={ref}
        plugins={PLUGINS}
        initialView={target}
        initialDate={anchor}
        headerToolbar={false}
        locale={i18n.language.startsWith('fr') ? frLocale : enGbLocale}
        firstDay={1}
        // Month and list grow with their content; a day of hours scrolls, opening at 7:00.
        height={view === 'week' || view === 'day' ? 720 : 'auto'}
        fixedWeekCount
        dayMaxEvents={4}
        eventDisplay="block"
        eventInteractive
        editable={false}
        eventDurationEditable={false}
        nowIndicator
        scrollTime="07:00:00"
        allDaySlot={false}
        // Hour by hour, a block is as long as the work: its end is worth reading there; a short
        // one stays tall enough for its time.
        displayEventEnd={isTimedView(view)}
        eventMinHeight={22}
        // Work at the same hour side by side, each readable, rather than piled up.
        slotEventOverlap={false}
        eventTimeFormat={{ hour: '2-digit', minute: '2-digit', hour12: false }}
        events={events}
        eventContent={(arg: EventContentArg) => <EventContent arg={arg} />}
        eventClick={(info: EventClickArg) => {
          info.jsEvent.preventDefault();
          onOpen(info.event.extendedProps.entry as CalendarEntry);
        }}
        eventDrop={(info: EventDropArg) => {
          const entry = info.event.extendedProps.entry as CalendarEntry;
          if (!info.event.start) {
            info.revert();
            return;
          }
          onMove(entry, info.event.start, info.revert);
        }}
      />
    </div>
  );
}
