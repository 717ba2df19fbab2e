// Test-only. The Delivery Service's operations as a client sends them, shared by the MLS tests
// and the test client.
export const registerKeyMutation =
  'mutation($k: Bytes!) { registerDeviceKey(input: { signatureKey: $k }) { deviceId } }';

export const uploadMutation = `mutation($p: [Bytes!]!, $l: Bytes) {
  uploadKeyPackages(input: { keyPackages: $p, lastResort: $l }) { available lastResort }
}`;

export const claimMutation = `mutation($u: ID!, $d: [ID!]) {
  claimKeyPackages(input: { userId: $u, deviceIds: $d }) {
    keyPackages { keyPackage lastResort device { deviceId } }
    unavailable { deviceId }
  }
}`;

export const submitCommitMutation = `
  mutation($c: ID!, $id: String!, $commit: Bytes!, $w: Bytes, $a: [ID!], $r: [ID!]) {
    submitCommit(input: { conversationId: $c, clientMessageId: $id, commit: $commit,
      welcome: $w, addedDeviceIds: $a, removedDeviceIds: $r }) {
      epoch duplicate message { seq kind epoch }
    }
  }`;

export const createGroupMutation =
  'mutation($m: [ID!]!) { createGroupConversation(input: { memberIds: $m }) { id } }';

export const stockQuery = '{ viewer { keyPackageStock { available lastResort } } }';
