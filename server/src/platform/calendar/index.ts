export { assertCalendarYear, WorkingCalendar, type CalendarData, type CalendarDay, type CalendarDayKind } from './calendar.ts';
export { insertYearIfMissing, listYears, loadCalendar, replaceYear, type CalendarYearSummary } from './calendar.repository.ts';
export { loadShippedCalendar } from './calendar.reference.ts';
export { SHIPPED_CALENDAR_YEARS, type ShippedCalendarYear } from './holidays.ts';
export { calendarRoutes } from './calendar.routes.ts';
