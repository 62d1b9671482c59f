/**
 * The values a category's detail is made of (details-*.ts): strict dates
 * and the text a practitioner writes.
 */
import { calendarDate as anyCalendarDate } from '../platform/validation/dates.js';
import { multiLineText } from '../platform/validation/text.js';

/** A strict calendar date between 1900 and 2200: 2023-02-30 and timestamps are refused. */
export const calendarDate = anyCalendarDate('date');

// Detail is paragraphs a practitioner writes: line breaks kept, other control characters refused.
export const text = (max: number) => multiLineText('a value').min(1, 'Enter a value').max(max);
export const optionalText = (max: number) => multiLineText('this answer').max(max).optional();
