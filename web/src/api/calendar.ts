import { endpoint } from './endpoint';

/** One year of the working-day calendar on file. */
export interface CalendarYear {
  year: number;
  source: string;
  holidays: number;
  workdays: number;
  updatedAt: string;
}

/** The years whose holidays and make-up working days are on file. */
export const calendarYearsEndpoint = endpoint<{ items: CalendarYear[] }>('/api/calendar/years');
