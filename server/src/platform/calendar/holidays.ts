import type { CalendarDay } from './calendar.ts';
import { datesFromTo } from './iso-date.ts';

/** One year of the calendar as shipped, with the State Council notice it is transcribed from. */
export interface ShippedCalendarYear {
  year: number;
  source: string;
  days: readonly CalendarDay[];
}

const MAKE_UP_WORKDAY = '调休上班';

function holidays(first: string, last: string, name: string): CalendarDay[] {
  return datesFromTo(first, last).map((date) => ({ date, kind: 'holiday', name }));
}

function workdays(...dates: string[]): CalendarDay[] {
  return dates.map((date) => ({ date, kind: 'workday', name: MAKE_UP_WORKDAY }));
}

/**
 * Statutory holidays and make-up working days (调休) for 2020–2026, transcribed from the State Council
 * General Office notices (国务院办公厅关于…年部分节假日安排的通知). Installations load these once;
 * administrators enter later years themselves, and their edits are never overwritten.
 */
export const SHIPPED_CALENDAR_YEARS: readonly ShippedCalendarYear[] = [
  {
    year: 2020,
    source:
      '国务院办公厅关于2020年部分节假日安排的通知（国办发明电〔2019〕16号）；' +
      '国务院办公厅关于延长2020年春节假期的通知（国办发明电〔2020〕1号）',
    days: [
      ...holidays('2020-01-01', '2020-01-01', '元旦'),
      ...holidays('2020-01-24', '2020-01-30', '春节'),
      // The COVID-19 extension moved the return to work to 3 February, which also cancelled the
      // make-up working day originally set on Saturday 1 February.
      ...holidays('2020-01-31', '2020-02-02', '春节（延长假期）'),
      ...workdays('2020-01-19'),
      ...holidays('2020-04-04', '2020-04-06', '清明节'),
      ...holidays('2020-05-01', '2020-05-05', '劳动节'),
      ...workdays('2020-04-26', '2020-05-09'),
      ...holidays('2020-06-25', '2020-06-27', '端午节'),
      ...workdays('2020-06-28'),
      ...holidays('2020-10-01', '2020-10-08', '国庆节、中秋节'),
      ...workdays('2020-09-27', '2020-10-10'),
    ],
  },
  {
    year: 2021,
    source: '国务院办公厅关于2021年部分节假日安排的通知（国办发明电〔2020〕27号）',
    days: [
      ...holidays('2021-01-01', '2021-01-03', '元旦'),
      ...holidays('2021-02-11', '2021-02-17', '春节'),
      ...workdays('2021-02-07', '2021-02-20'),
      ...holidays('2021-04-03', '2021-04-05', '清明节'),
      ...holidays('2021-05-01', '2021-05-05', '劳动节'),
      ...workdays('2021-04-25', '2021-05-08'),
      ...holidays('2021-06-12', '2021-06-14', '端午节'),
      ...holidays('2021-09-19', '2021-09-21', '中秋节'),
      ...workdays('2021-09-18'),
      ...holidays('2021-10-01', '2021-10-07', '国庆节'),
      ...workdays('2021-09-26', '2021-10-09'),
    ],
  },
  {
    year: 2022,
    source:
      '国务院办公厅关于2022年部分节假日安排的通知（国办发明电〔2021〕11号）；' +
      '12月31日见国务院办公厅关于2023年部分节假日安排的通知（国办发明电〔2022〕16号）',
    days: [
      ...holidays('2022-01-01', '2022-01-03', '元旦'),
      ...holidays('2022-01-31', '2022-02-06', '春节'),
      ...workdays('2022-01-29', '2022-01-30'),
      ...holidays('2022-04-03', '2022-04-05', '清明节'),
      ...workdays('2022-04-02'),
      ...holidays('2022-04-30', '2022-05-04', '劳动节'),
      ...workdays('2022-04-24', '2022-05-07'),
      ...holidays('2022-06-03', '2022-06-05', '端午节'),
      ...holidays('2022-09-10', '2022-09-12', '中秋节'),
      ...holidays('2022-10-01', '2022-10-07', '国庆节'),
      ...workdays('2022-10-08', '2022-10-09'),
      // The 2023 notice starts the New Year holiday on Saturday 31 December 2022; days are kept under
      // the year they fall in, so it is listed here.
      ...holidays('2022-12-31', '2022-12-31', '元旦'),
    ],
  },
  {
    year: 2023,
    source: '国务院办公厅关于2023年部分节假日安排的通知（国办发明电〔2022〕16号）',
    days: [
      ...holidays('2023-01-01', '2023-01-02', '元旦'),
      ...holidays('2023-01-21', '2023-01-27', '春节'),
      ...workdays('2023-01-28', '2023-01-29'),
      ...holidays('2023-04-05', '2023-04-05', '清明节'),
      ...holidays('2023-04-29', '2023-05-03', '劳动节'),
      ...workdays('2023-04-23', '2023-05-06'),
      ...holidays('2023-06-22', '2023-06-24', '端午节'),
      ...workdays('2023-06-25'),
      ...holidays('2023-09-29', '2023-10-06', '中秋节、国庆节'),
      ...workdays('2023-10-07', '2023-10-08'),
    ],
  },
  {
    year: 2024,
    source: '国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）',
    days: [
      ...holidays('2024-01-01', '2024-01-01', '元旦'),
      // New Year's Eve (9 February) was only recommended as annual leave, so it stays a working day.
      ...holidays('2024-02-10', '2024-02-17', '春节'),
      ...workdays('2024-02-04', '2024-02-18'),
      ...holidays('2024-04-04', '2024-04-06', '清明节'),
      ...workdays('2024-04-07'),
      ...holidays('2024-05-01', '2024-05-05', '劳动节'),
      ...workdays('2024-04-28', '2024-05-11'),
      ...holidays('2024-06-10', '2024-06-10', '端午节'),
      ...holidays('2024-09-15', '2024-09-17', '中秋节'),
      ...workdays('2024-09-14'),
      ...holidays('2024-10-01', '2024-10-07', '国庆节'),
      ...workdays('2024-09-29', '2024-10-12'),
    ],
  },
  {
    year: 2025,
    source: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）',
    days: [
      ...holidays('2025-01-01', '2025-01-01', '元旦'),
      ...holidays('2025-01-28', '2025-02-04', '春节'),
      ...workdays('2025-01-26', '2025-02-08'),
      ...holidays('2025-04-04', '2025-04-06', '清明节'),
      ...holidays('2025-05-01', '2025-05-05', '劳动节'),
      ...workdays('2025-04-27'),
      ...holidays('2025-05-31', '2025-06-02', '端午节'),
      ...holidays('2025-10-01', '2025-10-08', '国庆节、中秋节'),
      ...workdays('2025-09-28', '2025-10-11'),
    ],
  },
  {
    year: 2026,
    source: '国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）',
    days: [
      ...holidays('2026-01-01', '2026-01-03', '元旦'),
      ...workdays('2026-01-04'),
      ...holidays('2026-02-15', '2026-02-23', '春节'),
      ...workdays('2026-02-14', '2026-02-28'),
      ...holidays('2026-04-04', '2026-04-06', '清明节'),
      ...holidays('2026-05-01', '2026-05-05', '劳动节'),
      ...workdays('2026-05-09'),
      ...holidays('2026-06-19', '2026-06-21', '端午节'),
      ...holidays('2026-09-25', '2026-09-27', '中秋节'),
      ...holidays('2026-10-01', '2026-10-07', '国庆节'),
      ...workdays('2026-09-20', '2026-10-10'),
    ],
  },
];
