import { Alert } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { calendarYearsEndpoint } from '../../api/calendar';
import { PERMISSION } from '../../auth/permissions';
import { useSession } from '../../auth/session-context';
import { useJson } from '../../hooks/useJson';

/** How far ahead deadlines reach: the longest usual limits are a few weeks of working days. */
const HORIZON_DAYS = 60;

/**
 * Tells administrators, ahead of time, that next year's holidays are not on file: deadlines that
 * run into that year cannot be counted and wait (matters show 时限待定) until the year is entered.
 */
export function CalendarCoverageAlert() {
  const { t } = useTranslation();
  const { can } = useSession();
  const years = useJson(can(PERMISSION.calendarWrite) ? calendarYearsEndpoint : null);
  const items = years.data?.items;
  if (!items) return null;
  const needed = dayjs().add(HORIZON_DAYS, 'day').year();
  const onFile = new Set(items.map((item) => item.year));
  const missing = [dayjs().year(), needed].filter((year, index, all) => all.indexOf(year) === index && !onFile.has(year));
  if (missing.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="calendar-coverage-alert"
      message={t('dashboard.calendarMissing', { years: missing.join('、') })}
      description={t('dashboard.calendarMissingHint', { year: missing[0] })}
    />
  );
}
