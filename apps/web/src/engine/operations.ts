// Browser-only. The operations of Parley's public GraphQL API (schema.graphql) that the web app
// uses, in one place, so that a schema change shows up here and nowhere else.
import { gql } from '@urql/core';

const userFields = 'id displayName phoneNumber about avatarRef online lastSeenAt';

export const conversationFields = `
  id kind title epoch activityAt lastSeq deliveredUpTo readUpTo unreadCount
  members { user { ${userFields} } readUpTo }
  devicesAwaitingJoin { deviceId user { id } }
`;

export const requestCodeMutation = gql`
  mutation RequestCode($phoneNumber: String!) {
    requestVerificationCode(input: { phoneNumber: $phoneNumber }) { phoneNumber expiresAt }
  }
`;

export const verifyCodeMutation = gql`
  mutation VerifyCode($phoneNumber: String!, $code: String!, $deviceName: String!) {
    verifyCode(input: { phoneNumber: $phoneNumber, code: $code, deviceName: $deviceName }) {
      token isNewUser user { id phoneNumber } device { id }
    }
  }
`;

export const viewerQuery = gql`
  query Viewer {
    viewer {
      user { ${userFields} }
      privacy { lastSeen online readReceipts }
      devices { id name current createdAt lastActiveAt }
      keyPackageStock { available lastResort }
    }
  }
`;

export const updateProfileMutation = gql`
  mutation UpdateProfile($displayName: String, $about: String, $avatarRef: String) {
    updateProfile(input: { displayName: $displayName, about: $about, avatarRef: $avatarRef }) {
      ${userFields}
    }
  }
`;

export const updatePrivacyMutation = gql`
  mutation UpdatePrivacy($lastSeen: Visibility, $online: Visibility, $readReceipts: Boolean) {
    updatePrivacySettings(
      input: { lastSeen: $lastSeen, online: $online, readReceipts: $readReceipts }
    ) { lastSeen online readReceipts }
  }
`;

export const revokeDeviceMutation = gql`
  mutation RevokeDevice($deviceId: ID!) { revokeDevice(input: { deviceId: $deviceId }) { id } }
`;

export const registerDeviceKeyMutation = gql`
  mutation RegisterDeviceKey($signatureKey: Bytes!) {
    registerDeviceKey(input: { signatureKey: $signatureKey }) { deviceId }
  }
`;

export const uploadKeyPackagesMutation = gql`
  mutation UploadKeyPackages($keyPackages: [Bytes!]!, $lastResort: Bytes) {
    uploadKeyPackages(input: { keyPackages: $keyPackages, lastResort: $lastResort }) {
      available lastResort
    }
  }
`;

export const claimKeyPackagesMutation = gql`
  mutation ClaimKeyPackages($userId: ID!, $deviceIds: [ID!]) {
    claimKeyPackages(input: { userId: $userId, deviceIds: $deviceIds }) {
      keyPackages { keyPackage device { deviceId } }
    }
  }
`;

export const submitCommitMutation = gql`
  mutation SubmitCommit(
    $conversationId: ID!
    $clientMessageId: String!
    $commit: Bytes!
    $welcome: Bytes
    $addedDeviceIds: [ID!]
    $removedDeviceIds: [ID!]
  ) {
    submitCommit(
      input: {
        conversationId: $conversationId
        clientMessageId: $clientMessageId
        commit: $commit
        welcome: $welcome
        addedDeviceIds: $addedDeviceIds
        removedDeviceIds: $removedDeviceIds
      }
    ) { epoch duplicate message { seq } }
  }
`;

export const discoverContactsMutation = gql`
  mutation DiscoverContacts($phoneNumbers: [String!]!) {
    discoverContacts(input: { phoneNumbers: $phoneNumbers }) { ${userFields} }
  }
`;

export const startDirectConversationMutation = gql`
  mutation StartDirectConversation($userId: ID!) {
    startDirectConversation(input: { userId: $userId }) { ${conversationFields} }
  }
`;

// The list stays under the API's cost limit by naming members by id only; their profiles come
// from usersQuery, in one request for all of them.
export const conversationsQuery = gql`
  query Conversations {
    conversations(first: 50) {
      edges {
        node { id kind title epoch activityAt deliveredUpTo readUpTo members { user { id } } }
      }
    }
  }
`;

export const usersQuery = gql`
  query Users($ids: [ID!]!) { nodes(ids: $ids) { ... on User { ${userFields} } } }
`;

export const devicesAwaitingJoinQuery = gql`
  query DevicesAwaitingJoin {
    conversations(first: 50) {
      edges { node { id epoch devicesAwaitingJoin { deviceId user { id } } } }
    }
  }
`;

export const conversationQuery = gql`
  query Conversation($id: ID!) { conversation(id: $id) { ${conversationFields} } }
`;

export const sendMessageMutation = gql`
  mutation SendMessage($conversationId: ID!, $clientMessageId: String!, $ciphertext: Bytes!) {
    sendMessage(
      input: {
        conversationId: $conversationId
        clientMessageId: $clientMessageId
        ciphertext: $ciphertext
      }
    ) { duplicate message { seq createdAt } }
  }
`;

export const markDeliveredMutation = gql`
  mutation MarkDelivered($conversationId: ID!, $seq: Int!) {
    markDelivered(input: { conversationId: $conversationId, seq: $seq }) { deliveredUpTo }
  }
`;

export const markReadMutation = gql`
  mutation MarkRead($conversationId: ID!, $seq: Int!) {
    markRead(input: { conversationId: $conversationId, seq: $seq }) { readUpTo }
  }
`;

export const setTypingMutation = gql`
  mutation SetTyping($conversationId: ID!, $typing: Boolean!) {
    setTyping(input: { conversationId: $conversationId, typing: $typing })
  }
`;

export const eventsSubscription = gql`
  subscription Events($cursors: [ConversationCursorInput!]) {
    events(cursors: $cursors) {
      __typename
      ... on MessageEvent {
        conversationId
        message { seq clientMessageId kind ciphertext senderDeviceId createdAt sender { id } }
      }
      ... on WelcomeEvent { conversationId commitSeq welcome }
      ... on ReceiptEvent { conversationId deliveredUpTo readUpTo user { id } }
      ... on TypingEvent { conversationId typing expiresAt user { id } }
      ... on PresenceEvent { conversationId online lastSeenAt user { id } }
      ... on ConversationEvent { conversationId change users { id } }
      ... on KeyPackagesLowEvent { available }
      ... on CaughtUpEvent { at }
    }
  }
`;

export const pushConfigQuery = gql`
  query PushConfig { pushConfig { vapidPublicKey } viewer { pushEnabled } }
`;

export const registerPushSubscriptionMutation = gql`
  mutation RegisterPushSubscription($endpoint: String!, $p256dh: String!, $auth: String!) {
    registerPushSubscription(
      input: { endpoint: $endpoint, keys: { p256dh: $p256dh, auth: $auth } }
    ) { __typename }
  }
`;

export const removePushSubscriptionMutation = gql`
  mutation RemovePushSubscription { removePushSubscription }
`;

export const deviceKeysQuery = gql`
  query DeviceKeys($userId: ID!) {
    user(id: $userId) { ${userFields} deviceKeys { deviceId signatureKey revoked } }
  }
`;

export const createGroupConversationMutation = gql`
  mutation CreateGroupConversation($memberIds: [ID!]!) {
    createGroupConversation(input: { memberIds: $memberIds }) { ${conversationFields} }
  }
`;
