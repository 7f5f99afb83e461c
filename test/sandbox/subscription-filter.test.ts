import { FilterError, parseSubscriptionFilter } from '../../sandbox/event-platform/subscription-filter';

const APP = { identifier: 'b238e9f7-fcec-45bd-9431-d43cd624b244', type: 'api' } as const;
const USER = { identifier: '57616f6f-1a4d-490e-bc23-c5877d2b30d9', type: 'user' } as const;
const JOB = { identifier: 'system', type: 'job' } as const;

function matching(expression: string): string[] {
  const filter = parseSubscriptionFilter(expression);
  return [APP, USER, JOB].filter((author) => filter.matches(author)).map((author) => author.type);
}

describe('sandbox Event Platform: subscription filters (user and user_type)', () => {
  it('matches user against the author identifier and user_type against its type', () => {
    expect(matching(`user="${APP.identifier}"`)).toEqual(['api']);
    expect(matching(`not user="${APP.identifier}"`)).toEqual(['user', 'job']);
    expect(matching('user_type="job"')).toEqual(['job']);
    expect(matching('user_type in ["user", "job"]')).toEqual(['user', 'job']);
    expect(matching('not (user_type in ["user", "job"])')).toEqual(['api']);
  });

  it('binds not tighter than and, and and tighter than or', () => {
    expect(matching('user_type="api" or user_type="user" and not user="system"')).toEqual(['api', 'user']);
    expect(matching('(user_type="api" or user_type="job") and not user="system"')).toEqual(['api']);
    expect(matching('NOT user_type="api" AND NOT user_type="job"')).toEqual(['user']);
  });

  it.each([
    ['a delta-only field', 'attribute="name"', /does not implement the attribute filter/],
    ['a delta-only field in a longer filter', 'locale="en_US" and user_type="api"', /the locale filter/],
    ['an unknown field', 'family="shoes"', /Unknown filter field "family"/],
    ['a value without quotes', 'user=system', /double quotes/],
    ['an unknown user type', 'user_type="robot"', /user_type must be one of/],
    ['an unclosed parenthesis', '(user_type="api"', /Expected "\)"/],
    ['two conditions without an operator', 'user_type="api" user_type="job"', /Unexpected "user_type"/],
    ['an empty filter', '', /empty/],
    ['501 characters', `user="${'x'.repeat(494)}"`, /at most 500 characters/],
    ['11 operators', Array.from({ length: 12 }, () => 'user_type="api"').join(' or '), /at most 10 operators/],
  ])('refuses %s with a message that says why', (_label, expression, message) => {
    expect(() => parseSubscriptionFilter(expression)).toThrow(FilterError);
    expect(() => parseSubscriptionFilter(expression)).toThrow(message);
  });

  it('accepts exactly 500 characters and 10 operators', () => {
    expect(() => parseSubscriptionFilter(`user="${'x'.repeat(493)}"`)).not.toThrow();
    expect(() =>
      parseSubscriptionFilter(Array.from({ length: 11 }, () => 'user_type="api"').join(' or ')),
    ).not.toThrow();
  });
});
