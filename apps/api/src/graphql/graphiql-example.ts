// Server-only. What GraphiQL shows on a first visit: the three steps from nothing to reading
// one's own conversations. The first two need no token, so an anonymous visitor can run them
// as they are and get a token to put in the Headers tab for the third. Each operation must stay
// under the cost limit on its own: graphql-armor multiplies by page sizes and nesting, so the
// third asks for one message per conversation (five, with senders, weighed over 11,000, past
// the 5,000 limit). A test runs all three.

export const graphiqlExampleOperations = `# Parley's public API, in three steps.
# 1. Run RequestCode with your number. By default the server prints the code on its console.
# 2. Put the code in SignIn and run it. It answers with this device's token, shown only once.
# 3. Replace the placeholder in the Headers tab below with the token, then run MyConversations.
# Everything not signing in needs the header {"Authorization": "Bearer pdt_..."}.

mutation RequestCode {
  requestVerificationCode(input: { phoneNumber: "+14155550123" }) {
    phoneNumber
    expiresAt
  }
}

mutation SignIn {
  verifyCode(input: { phoneNumber: "+14155550123", code: "123456", deviceName: "GraphiQL" }) {
    token
    user { id displayName }
    device { id name }
  }
}

query MyConversations {
  viewer {
    user { displayName phoneNumber }
    device { name }
  }
  conversations(first: 20) {
    edges {
      node {
        id
        kind
        title
        unreadCount
        lastMessageAt
        messages(last: 1) { edges { node { seq status createdAt } } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/** The Headers tab's starting content: where the token goes, in the form the server reads. */
export const graphiqlExampleHeaders = JSON.stringify(
  { Authorization: 'Bearer <paste your device token>' },
  null,
  2,
);
