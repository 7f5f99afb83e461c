export type { PlatformSubscriber, PlatformSubscription } from './answers';
export {
  type CallBudget,
  type EventPlatformCaller,
  EventPlatformSession,
  type NewSubscriber,
  type PlatformProblem,
  type PlatformResult,
  type SubscriptionSettings,
} from './management-api';
