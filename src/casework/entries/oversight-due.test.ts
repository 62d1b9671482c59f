import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseworkStaff,
  createPerson,
  team,
  type CaseworkStaff,
} from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { RightsService } from '../../rights/service.js';
import { CaseworkService } from '../service.js';
import { oversightDue } from './oversight-due.js';
import { SummaryService } from './summary-service.js';

/*
 * The next management oversight as work (issue 13; decision 0044): derived
 * from the latest oversight's "next management review", listed for the
 * team manager of the record's team only, moved by recording the next
 * oversight, gone when the record closes, is restricted or leaves the team.
 */

let database: DatabaseHandle;
let casework: CaseworkService;
let summaries: SummaryService;
let worker: CaseworkStaff;
let manager: CaseworkStaff;
let otherManager: CaseworkStaff;
const TODAY = '2026-11-25';

beforeAll(async () => {
  database = await testDatabase();
  casework = new CaseworkService(database.db, { today: () => TODAY });
  summaries = new SummaryService(casework);
  worker = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['oversight-north']);
  manager = await caseworkStaff(database.db, 'kent-scs', ['team-manager'], ['oversight-north']);
  otherManager = await caseworkStaff(
    database.db,
    'kent-scs',
    ['team-manager'],
    ['oversight-south'],
  );
});
afterAll(async () => {
  await database.close();
});

async function workerRecord(openedOn = '2026-09-01') {
  return casework.create(worker.context, {
    category: 'child-in-need',
    subjectPersonId: await createPerson(database.db, 'kent-scs'),
    openedOn,
    allocatedAccountId: worker.accountId,
    allocatedTeamId: (await team(database.db, 'kent-scs', 'oversight-north')).id,
  });
}

const dueOn = async (staff: CaseworkStaff, recordId: string) =>
  (await oversightDue(database.db, staff.context, TODAY)).filter((i) => i.recordId === recordId);

describe('management oversight due on My work', () => {
  it('is due on the date the last oversight set, for the team’s manager only', async () => {
    const id = await workerRecord();
    // Never overseen: no policy says when, so nothing is due.
    expect(await dueOn(manager, id)).toEqual([]);
    await summaries.recordOversight(manager.context, id, {
      givenOn: '2026-10-01',
      direction: 'Visit weekly.',
      nextReviewOn: '2026-11-01',
    });
    expect(await dueOn(manager, id)).toEqual([
      {
        recordId: id,
        title: 'Child in need and all other children’s records record opened 1 September 2026',
        detail:
          'Management oversight overdue: the next management review set at the last oversight',
        due: '2026-11-01',
        href: `/records/${id}#oversight`,
        workerId: worker.accountId,
      },
    ]);
    // The worker does the casework; oversight is the manager's.
    expect(await dueOn(worker, id)).toEqual([]);
    expect(await dueOn(otherManager, id)).toEqual([]);
  });

  it('moves when the next oversight is recorded, and stops when one sets no next date', async () => {
    const id = await workerRecord();
    await summaries.recordOversight(manager.context, id, {
      givenOn: '2026-10-01',
      direction: 'Visit weekly.',
      nextReviewOn: '2026-11-01',
    });
    await summaries.recordOversight(manager.context, id, {
      givenOn: '2026-11-20',
      direction: 'Better: fortnightly visits.',
      nextReviewOn: '2026-12-20',
    });
    expect(await dueOn(manager, id)).toMatchObject([
      {
        due: '2026-12-20',
        detail: 'Management oversight due: the next management review set at the last oversight',
      },
    ]);
    // An older oversight entered late does not bring the old date back.
    await summaries.recordOversight(manager.context, id, {
      givenOn: '2026-10-15',
      direction: 'Written up late.',
      nextReviewOn: '2026-10-20',
    });
    expect((await dueOn(manager, id)).map((i) => i.due)).toEqual(['2026-12-20']);
    await summaries.recordOversight(manager.context, id, {
      givenOn: '2026-11-24',
      direction: 'Ready to close.',
    });
    expect(await dueOn(manager, id)).toEqual([]);
  });

  it('follows the record’s facts: gone when it closes, leaves the team or is restricted', async () => {
    const oversee = async (id: string) =>
      summaries.recordOversight(manager.context, id, {
        givenOn: '2026-10-01',
        direction: 'Visit weekly.',
        nextReviewOn: '2026-11-01',
      });
    const closing = await workerRecord();
    await oversee(closing);
    const { version } = await casework.open(worker.context, closing);
    await casework.update(worker.context, closing, { version, closedOn: '2026-11-24' });
    expect(await dueOn(manager, closing)).toEqual([]);

    const moving = await workerRecord();
    await oversee(moving);
    const moved = await casework.open(worker.context, moving);
    await casework.update(worker.context, moving, {
      version: moved.version,
      allocatedAccountId: null,
      allocatedTeamId: (await team(database.db, 'kent-scs', 'oversight-south')).id,
    });
    expect(await dueOn(manager, moving)).toEqual([]);
    expect((await dueOn(otherManager, moving)).map((i) => i.due)).toEqual(['2026-11-01']);

    const restricted = await workerRecord();
    await oversee(restricted);
    const ig = await caseworkStaff(database.db, 'kent-scs', ['information-governance']);
    const request = await new RightsService(database.db).create(ig.context, {
      type: 'restriction',
      receivedOn: '2026-11-02',
      channel: 'letter',
      description: 'Stop using my data while it is checked',
      requesterRole: 'self',
      requesterName: 'Synthetic Requester',
      requesterContact: '1 Test Street',
      identityCheck: 'photo-id-seen',
      subject: { givenName: 'Synthetic', familyName: 'Requester', dateOfBirth: '2010-03-01' },
    });
    await database.db
      .insertInto('restriction')
      .values({
        organisation_id: ig.context.organisation!.id,
        request_id: request,
        scope: 'record',
        record_id: restricted,
        ground: 'accuracy-contested',
        placed_by: ig.accountId,
      })
      .execute();
    expect(await dueOn(manager, restricted)).toEqual([]);
  });
});
