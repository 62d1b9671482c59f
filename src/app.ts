import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import { primaryReads, type ReadSource } from './db/read-replica.js';
import type { Database } from './db/schema.js';
import { CaseworkService } from './casework/service.js';
import { registerCaseworkRoutes } from './casework/routes.js';
import { personRecordsFor } from './casework/person-records.js';
import { registerPartnershipRoutes } from './partnership/routes.js';
import { PartnershipService } from './partnership/service.js';
import { PeopleService } from './people/service.js';
import { registerPeopleRoutes } from './people/routes.js';
import { registerConsentRoutes } from './people/consent/routes.js';
import { ConsentService } from './people/consent/service.js';
import { registerIntakeRoutes } from './intake/routes.js';
import { registerDuplicateRoutes } from './people/duplicates-routes.js';
import { DuplicateReview } from './people/duplicates-review.js';
import { IntakeService } from './intake/service.js';
import { registerAuthRoutes } from './platform/auth/routes.js';
import { ServiceAccounts } from './platform/auth/service-accounts.js';
import { AuthService } from './platform/auth/service.js';
import { ProviderClients } from './platform/auth/single-sign-on/provider-client.js';
import { registerSingleSignOnRoutes } from './platform/auth/single-sign-on/routes.js';
import { registerScimRoutes } from './platform/auth/single-sign-on/scim-routes.js';
import { ScimService } from './platform/auth/single-sign-on/scim.js';
import { SingleSignOnService } from './platform/auth/single-sign-on/service.js';
import { registerSessionHook } from './platform/auth/session-hook.js';
import { registerNoStore } from './platform/http/cache-control.js';
import { databaseRateLimitStore } from './platform/ops/rate-limit-store.js';
import { Metrics, registerMetricsRoute } from './platform/ops/metrics.js';
import { registerErrorHandling } from './platform/http/error-handler.js';
import { loggerOptions } from './platform/http/logging.js';
import { registerHealthRoutes } from './platform/http/health.js';
import { registerRender } from './platform/http/render.js';
import type { RouteSummary } from './platform/http/types.js';
import { createViewEnvironment, govukFrontendDir, mojFrontendDir } from './platform/http/views.js';
import { registerRetentionRoutes } from './retention/routes.js';
import { registerRightsRoutes } from './rights/routes.js';
import { registerReminderPages } from './rights/reminder-routes.js';
import { RightsService } from './rights/service.js';
import { createRetentionService } from './services.js';
import { SharingAgreements } from './sharing/agreement-service.js';
import { registerSharingRoutes } from './sharing/routes.js';
import { SharingService } from './sharing/service.js';
import { registerPracticeReviewRoutes } from './practice-reviews/routes.js';
import { PracticeReviewService } from './practice-reviews/service.js';
import { PublishedReviews } from './publication/publications.js';
import { ReportReview } from './publication/report-review.js';
import { registerPublicationRoutes } from './publication/routes.js';
import { ResearchExtracts } from './publication/research/extracts.js';
import { registerResearchExtractRoutes } from './publication/research/routes.js';
import { registerWebRoutes } from './web/routes.js';
import { registerStatisticsRoutes } from './statistics/routes.js';
import { AnnexAService } from './returns/annex-a/service.js';
import { ReturnJobs } from './returns/jobs.js';
import { registerReturnsRoutes } from './returns/routes.js';
import { ReturnsService } from './returns/service.js';
import { StatisticsService } from './statistics/service.js';
import { registerAccessRoutes } from './platform/access/routes.js';
import { registerComplaintRoutes } from './governance/complaints/routes.js';
import { registerPublicComplaintRoutes } from './governance/complaints/public-routes.js';
import { ComplaintsService } from './governance/complaints/service.js';
import { registerBreachRoutes } from './governance/breaches/routes.js';
import { BreachService } from './governance/breaches/service.js';
import { registerRopaRoutes } from './governance/ropa/routes.js';
import { importSources } from './intake/ropa-sources.js';
import { registerNoticeRoutes } from './governance/notice/routes.js';
import { PolicyVersions } from './governance/policy/versions.js';
import { PolicyChanges } from './governance/policy/changes.js';
import { PolicyRefresh } from './governance/policy/refresh.js';
import { registerPolicyRoutes } from './governance/policy/routes.js';

const webAssetsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'web/assets');

export interface AppDependencies {
  config: Config;
  db: Kysely<Database>;
  /** Tests move the clock to prove idle and absolute session limits. */
  now?: () => Date;
  /** The process's metrics (platform/ops/metrics.ts); the app keeps its own when not given. */
  metrics?: Metrics;
  /** Where search and statistics read (db/read-replica.ts); the primary when not given. */
  reads?: ReadSource;
}

/**
 * The composition root: builds services over the given database, then the
 * routes over the services. No module-level state, so each test can build
 * an app over its own database.
 */
export async function buildApp({
  config,
  db,
  now,
  metrics,
  reads = primaryReads(db),
}: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config),
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Routes that plugins add (design-system assets, the API description) hold
  // no personal data and are public; every other route is for staff unless
  // it says otherwise (platform/auth/session-hook.ts).
  // Every route is also listed in app.routeTable, so that tests can walk all
  // of them (ids from another organisation, arbitrary input) and a route
  // added tomorrow is walked too.
  const routeTable: RouteSummary[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/assets/') || route.url.startsWith('/api/docs')) {
      route.config = { ...route.config, access: 'public', sessionless: true };
    }
    for (const method of [route.method].flat()) {
      routeTable.push({
        method,
        url: route.url,
        access: route.config?.access ?? 'staff',
        ...(route.schema ? { schema: route.schema } : {}),
      });
    }
  });

  const auth = new AuthService(db, config, now);
  const singleSignOn = new SingleSignOnService(
    db,
    auth,
    new ProviderClients(now),
    process.env,
    now,
  );
  const serviceAccounts = new ServiceAccounts(db, now);
  const people = new PeopleService(db, { reads });
  const partnership = new PartnershipService(db, { sessionSecret: config.sessionSecret });
  const casework = new CaseworkService(db, { now });
  const sharing = new SharingService(db, { now });
  const complaints = new ComplaintsService(db, { now });

  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: config.cookieSecure ? { maxAge: 31_536_000 } : false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  registerNoStore(app);
  await app.register(fastifyCookie, { secret: config.sessionSecret });
  await app.register(fastifyFormbody);
  await app.register(fastifyCsrf, {
    cookieKey: 'safekeep_csrf',
    cookieOpts: {
      signed: true,
      httpOnly: true,
      sameSite: 'lax',
      secure: config.cookieSecure,
      path: '/',
    },
  });
  // Counters in the database, so every instance counts the same hits (decision 0041).
  await app.register(fastifyRateLimit, {
    global: false,
    store: databaseRateLimitStore({ db, secret: config.sessionSecret }),
  });
  await app.register(fastifyStatic, {
    // Our own assets first: MoJ Frontend ships an init.js of its own, which
    // would otherwise be served for ours and leave GOV.UK Frontend's
    // JavaScript (conditional reveals, error summary focus) never started.
    root: [
      webAssetsDir,
      path.join(govukFrontendDir, 'dist/govuk/assets'),
      path.join(mojFrontendDir, 'moj/assets'),
      path.join(govukFrontendDir, 'dist/govuk'),
      path.join(mojFrontendDir, 'moj'),
    ],
    prefix: '/assets/',
    // Only built assets: never the design systems' templates or sources.
    allowedPath: (pathName) => /\.(css|js|mjs|woff2?|svg|png|ico|json)$/.test(pathName),
    maxAge: config.env === 'production' ? '1d' : 0,
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Safekeep API',
        version: '1',
        description:
          'JSON API for staff. Every call is authorised by the same access function as the pages, and audited.',
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    uiConfig: { docExpansion: 'list' },
    uiHooks: {},
  });

  const views = createViewEnvironment();
  registerRender(app, views);
  registerErrorHandling(app);
  registerSessionHook(app, auth, serviceAccounts);

  // CSRF: every state-changing request from a browser carries a token tied to
  // it. A bearer-token call sends no cookies, so it cannot be forged this way.
  app.addHook('preHandler', (request, reply, done) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method) || request.viaApiToken) return done();
    app.csrfProtection(request, reply, done);
  });

  registerHealthRoutes(app, db);
  registerMetricsRoute(app, metrics ?? new Metrics().observeDatabase(db), config.metricsToken);
  registerAuthRoutes(app, { auth, config, db, now: now ?? (() => new Date()), singleSignOn });
  registerSingleSignOnRoutes(app, { singleSignOn, config });
  registerScimRoutes(app, { scim: new ScimService(db, now) });
  registerWebRoutes(app, {
    db,
    complaints,
    retention: createRetentionService(db, now),
    ...(now ? { now } : {}),
  });
  registerAccessRoutes(app, { db });
  registerPeopleRoutes(app, {
    people,
    personRecords: (staff, personId) => personRecordsFor(db, staff, personId),
  });
  registerConsentRoutes(app, { consent: new ConsentService(db, people), people });
  registerIntakeRoutes(app, { intake: new IntakeService(db), people });
  registerDuplicateRoutes(app, { duplicates: new DuplicateReview(db, people) });
  registerPartnershipRoutes(app, { partnership });
  registerCaseworkRoutes(app, { casework, people, db });
  registerSharingRoutes(app, { sharing, agreements: new SharingAgreements(db, { now }) });
  const practiceReviews = new PracticeReviewService(db, { ...(now ? { now } : {}) });
  registerPracticeReviewRoutes(app, { reviews: practiceReviews, sharing });
  registerPublicationRoutes(app, {
    review: new ReportReview(practiceReviews),
    published: new PublishedReviews(db),
  });
  registerRetentionRoutes(app, { retention: createRetentionService(db, now), people, db });
  registerRightsRoutes(app, {
    rights: new RightsService(db, undefined, { sessionSecret: config.sessionSecret }),
  });
  registerReminderPages(app, { db });
  registerComplaintRoutes(app, { complaints });
  registerPublicComplaintRoutes(app, { complaints, config });
  registerBreachRoutes(app, { breaches: new BreachService(db, { now }), db, now, complaints });
  const researchExtracts = new ResearchExtracts(db, { keys: config.researchKeys });
  registerRopaRoutes(app, {
    extracts: researchExtracts,
    imports: (organisationId) => importSources(db, organisationId),
  });
  registerResearchExtractRoutes(app, { extracts: researchExtracts });
  registerStatisticsRoutes(app, { statistics: new StatisticsService(db, reads) });
  {
    const returns = new ReturnsService(db);
    const annexA = new AnnexAService(db);
    registerReturnsRoutes(app, { returns, annexA, jobs: new ReturnJobs(db, returns, annexA) });
  }
  // Every shipped organisation's policy has its version 1 stored before the
  // first request, so its notice's history is never empty (as `safekeep
  // serve` does at start-up; idempotent).
  // A version applied by another process is picked up within seconds
  // (governance/policy/refresh.ts; decision 0025).
  const policyVersions = new PolicyVersions(db, now);
  const policyRefresh = new PolicyRefresh(db, { ...(now ? { now } : {}), log: app.log });
  app.addHook('onReady', async () => {
    try {
      await policyVersions.seedShippedVersions();
      await policyRefresh.baseline();
    } catch (error) {
      // A database not answering yet must not stop the start: requests then
      // answer "try again later", and the first check reads the versions.
      app.log.warn({ message: (error as Error).message }, 'policy versions not read at start');
    }
  });
  app.addHook('onRequest', async () => {
    await policyRefresh.refreshIfDue();
  });
  registerNoticeRoutes(app, { versions: policyVersions });
  registerPolicyRoutes(app, {
    db,
    changes: new PolicyChanges(db, now),
    versions: policyVersions,
    now,
  });
  return app;
}
