/**
 * Dated events in a record's detail, for the chronology.
 */
import type { CategorySlug } from '../policy/index.js';
import { humanise } from './option-words.js';

export interface DetailEvent {
  date: string;
  text: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listOf(detail: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const value = detail[key];
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Events with a date in a record's detail (conferences, placements, court orders, meetings…). */
export function detailEvents(category: CategorySlug, detail: unknown): DetailEvent[] {
  if (!isRecord(detail)) return [];
  const events: DetailEvent[] = [];
  const add = (date: unknown, text: string) => {
    if (typeof date === 'string' && date) events.push({ date, text });
  };
  switch (category) {
    case 'child-in-need':
      add(detail.assessmentCompletedOn, 'Child in need assessment completed');
      add(detail.planStartedOn, 'Child in need plan started');
      break;
    case 'child-protection-plan':
      add(
        detail.planStartedOn,
        `Child protection plan started (${humanise(str(detail.categoryOfAbuse))})`,
      );
      for (const e of listOf(detail, 'section47Enquiries')) {
        add(e.startedOn, 'Section 47 enquiry started');
        add(e.completedOn, 'Section 47 enquiry completed');
      }
      for (const c of listOf(detail, 'conferences')) {
        add(
          c.heldOn,
          `${humanise(str(c.kind))} child protection conference: ${humanise(str(c.decision))}`,
        );
      }
      break;
    case 'looked-after':
      for (const e of listOf(detail, 'episodes')) {
        add(e.startedOn, 'Became looked after');
        add(e.endedOn, 'Stopped being looked after');
      }
      for (const p of listOf(detail, 'placements')) {
        add(p.startedOn, `Placement started: ${humanise(str(p.type))}`);
        add(p.endedOn, `Placement ended: ${humanise(str(p.type))}`);
      }
      break;
    case 'adoption':
      for (const o of listOf(detail, 'courtOrders')) add(o.madeOn, `${humanise(str(o.kind))} made`);
      for (const s of listOf(detail, 'postAdoptionSupport')) {
        add(s.startedOn, `Post-adoption support started: ${humanise(str(s.kind))}`);
      }
      break;
    case 'private-fostering':
      add(detail.notifiedOn, 'Private fostering arrangement notified');
      add(detail.arrangementStartedOn, 'Private fostering arrangement started');
      for (const v of listOf(detail, 'visits')) add(v.visitedOn, 'Private fostering visit');
      break;
    case 'lado-allegation':
      for (const m of listOf(detail, 'meetings')) add(m.heldOn, `${humanise(str(m.kind))} meeting`);
      for (const i of listOf(detail, 's47Information')) {
        add(i.receivedOn, `Section 47 information received from ${str(i.from)}`);
      }
      break;
    case 'practice-review':
    case 'panel-referral-not-notified': {
      const notification = detail.nationalPanelNotification;
      if (isRecord(notification)) {
        add(
          notification.decidedOn,
          `National panel notification: ${humanise(str(notification.decision))}`,
        );
      }
      for (const c of listOf(detail, 'chronologiesRequested')) {
        add(c.requestedOn, `Chronology requested from ${str(c.agency)}`);
      }
      break;
    }
    case 'safeguarding-concern':
      for (const r of listOf(detail, 'referrals')) {
        add(r.referredOn, `Referred to ${humanise(str(r.partner))}`);
      }
      break;
    default:
      break;
  }
  return events;
}
