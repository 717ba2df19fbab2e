// Browser-only. Where developers start: the public GraphQL API, explored in GraphiQL.

import { Icon } from './Icon';

export type DeveloperSectionProps = {
  /** The GraphQL endpoint, which serves GraphiQL to a browser; "/graphql" unless told. */
  readonly graphqlUrl?: string;
};

export function DeveloperSection({ graphqlUrl = '/graphql' }: DeveloperSectionProps) {
  return (
    <div className="developer">
      <p>
        Parley has a public GraphQL API, the same one this app uses. Other clients and tools sign in
        as a device of their own; the server only ever sees ciphertext.
      </p>
      <a className="button" href={graphqlUrl} target="_blank" rel="noopener noreferrer">
        <Icon name="code" size={20} />
        Open GraphiQL
        <span className="visually-hidden"> (opens in a new tab)</span>
      </a>
    </div>
  );
}
