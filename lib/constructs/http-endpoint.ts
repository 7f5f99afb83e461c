import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  DomainName,
  HttpApi,
  HttpMethod,
  type HttpRoute,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { EVENT_PLATFORM_ROUTES } from '../../functions/contract/event-platform';
import type { CustomDomain } from '../akeneo-custom-app-props';

/** Steady rate and burst of the whole stage: far above what admins clicking *Connect* need, far below a flood. */
export const THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

export interface HttpEndpointProps {
  readonly landing: IFunction;
  readonly activate: IFunction;
  readonly callback: IFunction;
  readonly logRetention: RetentionDays;
  readonly customDomain?: CustomDomain;
  /** The Event Platform's two webhooks, each on its POST route (`EVENT_PLATFORM_ROUTES`). */
  readonly eventWebhooks?: { readonly events: IFunction; readonly notifications: IFunction };
}

/**
 * The Event Platform's deliveries: a PIM's bulk import is thousands of events, which Akeneo sends as fast as the app
 * answers. Past this it gets 429, which only slows it down (never suspends the subscription).
 */
export const WEBHOOK_THROTTLE = { rateLimit: 100, burstLimit: 200 } as const;

/**
 * The public HTTP API: `GET /`, `GET /activate` and `GET /callback`, and the Event Platform's two webhooks
 * (`POST /events/{pimHostKey}`, `POST /event-notifications/{pimHostKey}`), nothing else.
 */
export class HttpEndpoint extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** Base URL with a trailing slash: the custom domain when there is one, else the execute-api URL. */
  readonly baseUrl: string;
  /** The custom domain, when there is one: point its DNS record at `regionalDomainName`. */
  readonly domainName?: DomainName;

  constructor(scope: Construct, id: string, props: HttpEndpointProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'Akeneo custom app: activation and OAuth callback of the PIM connection flow',
      createDefaultStage: false,
    });
    if (props.customDomain) {
      this.domainName = new DomainName(this, 'Domain', {
        domainName: props.customDomain.domainName,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn),
      });
    }
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: THROTTLE,
      domainMapping: this.domainName ? { domainName: this.domainName } : undefined,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: accessLogFormat(),
      },
    });
    this.baseUrl = props.customDomain ? `https://${props.customDomain.domainName}/` : this.stage.url;

    const routes: [string, string, IFunction][] = [
      ['/', 'Landing', props.landing],
      ['/activate', 'Activate', props.activate],
      ['/callback', 'Callback', props.callback],
    ];
    for (const [path, name, handler] of routes) {
      const [route] = this.api.addRoutes({
        path,
        methods: [HttpMethod.GET],
        integration: new HttpLambdaIntegration(`${name}Integration`, handler),
      });
      acknowledgeNoAuthorizer(route, path);
    }
    if (props.eventWebhooks) {
      const webhooks: [string, string, IFunction][] = [
        [`${EVENT_PLATFORM_ROUTES.events}/{pimHostKey}`, 'EventsWebhook', props.eventWebhooks.events],
        [
          `${EVENT_PLATFORM_ROUTES.notifications}/{pimHostKey}`,
          'NotificationsWebhook',
          props.eventWebhooks.notifications,
        ],
      ];
      const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
      for (const [path, name, handler] of webhooks) {
        const [route] = this.api.addRoutes({
          path,
          methods: [HttpMethod.POST],
          integration: new HttpLambdaIntegration(`${name}Integration`, handler),
        });
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            "Akeneo's Event Platform posts here and cannot send a token: each delivery is authenticated by its " +
            "HMAC-SHA256 signature of the raw body with that PIM's secret, checked before anything is read or queued.",
        });
        routeSettings[`POST ${path}`] = {
          ThrottlingRateLimit: WEBHOOK_THROTTLE.rateLimit,
          ThrottlingBurstLimit: WEBHOOK_THROTTLE.burstLimit,
        };
      }
      (this.stage.node.defaultChild as CfnStage).addPropertyOverride('RouteSettings', routeSettings);
    }
  }
}

/** One JSON line per request. No path or query string: the callback's query carries the code and the state. */
function accessLogFormat(): AccessLogFormat {
  return AccessLogFormat.custom(
    JSON.stringify({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      requestTime: '$context.requestTime',
      routeKey: '$context.routeKey',
      status: '$context.status',
      protocol: '$context.protocol',
      responseLength: '$context.responseLength',
      responseLatency: '$context.responseLatency',
      integrationStatus: '$context.integrationStatus',
      integrationError: '$context.integrationErrorMessage',
      userAgent: '$context.identity.userAgent',
    }),
  );
}

const NO_AUTHORIZER_REASONS: Record<string, string> = {
  '/': 'The landing page is public: it only says what this service is, and reads and writes nothing.',
  '/activate':
    "Activate is a browser redirect from the Akeneo PIM (the admin's Connect click); it cannot carry a token. " +
    'It serves only PIMs whose credentials are registered and writes a short-lived state bound to the browser.',
  '/callback':
    "Callback is the browser redirect back from the PIM's consent screen and cannot carry a token. " +
    'It is authorized by the single-use state and its browser-binding cookie, then by the PIM token exchange.',
};

function acknowledgeNoAuthorizer(route: HttpRoute, path: string): void {
  Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: NO_AUTHORIZER_REASONS[path] });
}
