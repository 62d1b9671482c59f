import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { z } from 'zod';
import { singleLineText } from '../validation/text.js';
import type { Config } from '../../config.js';
import { NotFoundError } from '../errors/errors.js';
import { errorView, parseForm } from '../http/forms.js';
import { registerConfidentialityRoutes } from './confidentiality-routes.js';
import type { AuthService } from './service.js';
import type { SingleSignOnService } from './single-sign-on/service.js';
import { KNOWN_DEVICE_COOKIE, knownDeviceValue } from './sign-in-throttle.js';
import { SESSION_COOKIE, nextStepPath, setSessionCookie, staffOf } from './session-hook.js';

const signInForm = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'Enter your email address')
    .email('Enter an email address in the correct format, like name@example.org'),
  password: z
    .string()
    .min(1, 'Enter your password')
    .max(1024, 'Password must be 1024 characters or fewer'),
});
const codeForm = z.object({
  code: z
    .string()
    .transform((s) => s.replace(/\s+/g, ''))
    .pipe(z.string().regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app')),
});
const recoveryForm = z.object({
  code: singleLineText('one of your recovery codes')
    .min(1, 'Enter one of your recovery codes')
    .max(100, 'Enter one of your recovery codes'),
});
const organisationForm = z.object({
  organisationId: z.uuid('Select the organisation you are working for'),
});

const views = 'platform/auth/views';

export function registerAuthRoutes(
  app: FastifyInstance,
  deps: {
    auth: AuthService;
    config: Config;
    db: Kysely<Database>;
    now: () => Date;
    singleSignOn: SingleSignOnService;
  },
): void {
  const { auth, config } = deps;
  // The organisations whose staff sign in through their own provider, shown above the password form.
  const providers = () => deps.singleSignOn.organisationsWithProviders();
  const signInLimit = {
    rateLimit: { max: config.signInRateLimitPerMinute, timeWindow: '1 minute' },
  };

  app.get('/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    if (request.staff) return reply.redirect(nextStepPath(request.staff));
    return reply.render(`${views}/sign-in.njk`, {
      title: 'Sign in',
      values: {},
      providers: await providers(),
    });
  });

  app.post('/sign-in', { config: { access: 'public', ...signInLimit } }, async (request, reply) => {
    const form = parseForm(signInForm, request.body);
    const values = { email: (request.body as { email?: unknown } | undefined)?.email ?? '' };
    if (!form.ok) {
      return reply.status(400).render(`${views}/sign-in.njk`, {
        title: 'Sign in',
        values,
        providers: await providers(),
        ...errorView(form.errors),
      });
    }
    const normalisedEmail = form.data.email.toLowerCase();
    const device = request.cookies[KNOWN_DEVICE_COOKIE];
    const unsigned = device ? request.unsignCookie(device) : null;
    const result = await auth.signIn(form.data.email, form.data.password, {
      requestId: request.id,
      address: request.ip,
      knownDevice: unsigned?.valid === true && unsigned.value === knownDeviceValue(normalisedEmail),
    });
    if (result.outcome !== 'signed-in') {
      // One answer whether or not the email address has an account.
      const throttled = result.outcome === 'throttled';
      const minutes = throttled ? result.waitMinutes : 0;
      if (throttled) reply.header('retry-after', String(minutes * 60));
      const message = throttled
        ? `Enter a correct email address and password, or wait ${minutes} ` +
          `${minutes === 1 ? 'minute' : 'minutes'} and try again`
        : 'Enter a correct email address and password';
      return reply.status(throttled ? 429 : 401).render(`${views}/sign-in.njk`, {
        title: 'Sign in',
        values,
        providers: await providers(),
        ...errorView([{ field: 'email', message }]),
      });
    }
    // Marks this browser as one the account has signed in on, so its owner
    // is not held back by delays that others' failures set off.
    reply.setCookie(KNOWN_DEVICE_COOKIE, knownDeviceValue(normalisedEmail), {
      signed: true,
      httpOnly: true,
      secure: config.cookieSecure,
      sameSite: 'lax',
      path: '/sign-in',
      maxAge: 400 * 86_400,
    });
    setSessionCookie(reply, config, result.token);
    return reply.redirect(nextStepPath(result.staff), 303);
  });

  app.post('/sign-out', { config: { access: 'signing-in' } }, async (request, reply) => {
    if (request.staff) await auth.signOut(request.staff);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/signed-out', 303);
  });

  app.get('/signed-out', { config: { access: 'public' } }, async (_request, reply) =>
    reply.render(`${views}/signed-out.njk`, { title: 'You have signed out' }),
  );

  app.get(
    '/sign-in/two-factor/set-up',
    { config: { access: 'signing-in' } },
    async (request, reply) => {
      const staff = staffOf(request);
      if (staff.stage !== 'needs-mfa-setup') return reply.redirect(nextStepPath(staff));
      return renderSetUp(reply, await auth.beginTotpSetup(staff), []);
    },
  );

  app.post(
    '/sign-in/two-factor/set-up',
    { config: { access: 'signing-in', ...signInLimit } },
    async (request, reply) => {
      const staff = staffOf(request);
      if (staff.stage !== 'needs-mfa-setup') return reply.redirect(nextStepPath(staff), 303);
      const form = parseForm(codeForm, request.body);
      const codes = form.ok ? await auth.confirmTotpSetup(staff, form.data.code) : null;
      if (!codes) {
        const errors = form.ok
          ? [
              {
                field: 'code',
                message:
                  'The code is not correct. Check the time on your phone is right and enter the newest code',
              },
            ]
          : form.errors;
        return renderSetUp(reply.status(400), await auth.beginTotpSetup(staff), errors);
      }
      return reply.render(`${views}/recovery-codes.njk`, {
        title: 'Save your recovery codes',
        codes,
        next: nextStepPath({
          ...staff,
          stage: staff.organisation ? 'complete' : 'needs-organisation',
        }),
      });
    },
  );

  async function renderSetUp(
    reply: import('fastify').FastifyReply,
    setUp: { secret: string; uri: string },
    errors: { field: string; message: string }[],
  ) {
    const { default: QRCode } = await import('qrcode'); // only when setting up two-factor
    const qrSvg = await QRCode.toString(setUp.uri, { type: 'svg', margin: 1 });
    return reply.render(`${views}/two-factor-set-up.njk`, {
      title: 'Set up two-factor authentication',
      secret: setUp.secret.replace(/(.{4})/g, '$1 ').trim(),
      qrSvg,
      ...errorView(errors),
    });
  }

  app.get('/sign-in/two-factor', { config: { access: 'signing-in' } }, async (request, reply) => {
    const staff = staffOf(request);
    if (staff.stage !== 'needs-mfa') return reply.redirect(nextStepPath(staff));
    return reply.render(`${views}/two-factor.njk`, { title: 'Enter your security code' });
  });

  app.post(
    '/sign-in/two-factor',
    { config: { access: 'signing-in', ...signInLimit } },
    async (request, reply) => {
      const staff = staffOf(request);
      if (staff.stage !== 'needs-mfa') return reply.redirect(nextStepPath(staff), 303);
      const form = parseForm(codeForm, request.body);
      const outcome = form.ok ? await auth.verifyTotp(staff, form.data.code) : 'invalid';
      if (outcome === 'locked') {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.redirect('/sign-in', 303);
      }
      if (outcome === 'invalid') {
        return reply.status(400).render(`${views}/two-factor.njk`, {
          title: 'Enter your security code',
          ...errorView(
            form.ok
              ? [{ field: 'code', message: 'The security code is not correct' }]
              : form.errors,
          ),
        });
      }
      const after = await auth.resume(request.cookies[SESSION_COOKIE] ?? '');
      return reply.redirect(after ? nextStepPath(after) : '/sign-in', 303);
    },
  );

  app.get(
    '/sign-in/recovery-code',
    { config: { access: 'signing-in' } },
    async (request, reply) => {
      const staff = staffOf(request);
      if (staff.stage !== 'needs-mfa') return reply.redirect(nextStepPath(staff));
      return reply.render(`${views}/recovery-code.njk`, { title: 'Use a recovery code' });
    },
  );

  app.post(
    '/sign-in/recovery-code',
    { config: { access: 'signing-in', ...signInLimit } },
    async (request, reply) => {
      const staff = staffOf(request);
      if (staff.stage !== 'needs-mfa') return reply.redirect(nextStepPath(staff), 303);
      const form = parseForm(recoveryForm, request.body);
      const result = form.ok ? await auth.useRecoveryCode(staff, form.data.code) : null;
      if (result && !result.ok && result.locked) {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.redirect('/sign-in', 303);
      }
      if (!result || !result.ok) {
        return reply.status(400).render(`${views}/recovery-code.njk`, {
          title: 'Use a recovery code',
          ...errorView(
            form.ok
              ? [{ field: 'code', message: 'That recovery code is not correct or has been used' }]
              : form.errors,
          ),
        });
      }
      // A lost authenticator is replaced now, before anything else.
      await auth.resetAuthenticator(staff);
      return reply.redirect('/sign-in/two-factor/set-up', 303);
    },
  );

  app.get('/choose-organisation', { config: { access: 'signing-in' } }, async (request, reply) => {
    const staff = staffOf(request);
    if (staff.stage === 'needs-mfa' || staff.stage === 'needs-mfa-setup') {
      return reply.redirect(nextStepPath(staff));
    }
    return renderChooser(reply, staff.accountId, staff.organisation?.id, []);
  });

  app.post('/choose-organisation', { config: { access: 'signing-in' } }, async (request, reply) => {
    const staff = staffOf(request);
    if (staff.stage === 'needs-mfa' || staff.stage === 'needs-mfa-setup') {
      return reply.redirect(nextStepPath(staff), 303);
    }
    const form = parseForm(organisationForm, request.body);
    if (!form.ok) return renderChooser(reply.status(400), staff.accountId, undefined, form.errors);
    if (!(await auth.chooseOrganisation(staff, form.data.organisationId)))
      throw new NotFoundError();
    return reply.redirect('/', 303);
  });

  registerConfidentialityRoutes(app, auth, deps.db, deps.now);

  async function renderChooser(
    reply: import('fastify').FastifyReply,
    accountId: string,
    current: string | undefined,
    errors: { field: string; message: string }[],
  ) {
    const rows = await auth.organisationsFor(accountId);
    const byOrganisation = new Map<
      string,
      { value: string; text: string; hint: { text: string } }
    >();
    for (const row of rows) {
      const existing = byOrganisation.get(row.id);
      if (existing) existing.hint.text += `, ${row.roleName}`;
      else
        byOrganisation.set(row.id, { value: row.id, text: row.name, hint: { text: row.roleName } });
    }
    return reply.render(`${views}/choose-organisation.njk`, {
      title: 'Which organisation are you working for?',
      items: [...byOrganisation.values()].map((i) => ({ ...i, checked: i.value === current })),
      ...errorView(errors),
    });
  }
}
