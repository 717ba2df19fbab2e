// Browser-only. What the screens show, already decrypted and resolved: the engine (src/engine)
// produces these from IndexedDB and the live event stream, and the components (src/components)
// render them without knowing where they came from.

/** The state of one of your own messages, as its ticks show it. */
export type Tick = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export type Visibility = 'EVERYONE' | 'CONTACTS' | 'NOBODY';

/** One row of the chat list. */
export type ChatSummary = {
  readonly id: string;
  readonly title: string;
  readonly isGroup: boolean;
  /** A URL of the other user's photo (direct chats), when there is one. */
  readonly avatarUrl?: string;
  /** The other user is online (direct chats, when their settings let you see it). */
  readonly online: boolean;
  /** Someone in the conversation is typing; replaces the preview while true. */
  readonly typing: boolean;
  readonly unread: number;
  /** Milliseconds since the epoch; what the list is sorted by, newest first. */
  readonly lastActivityAt: number;
  readonly lastMessage?: {
    readonly text: string;
    readonly fromSelf: boolean;
    readonly senderName?: string;
    readonly at: number;
    readonly tick?: Tick;
  };
};

/** A chat that a local search through decrypted message text found. */
export type MessageSearchHit = {
  readonly conversationId: string;
  readonly conversationTitle: string;
  readonly messageId: string;
  readonly excerpt: string;
  readonly at: number;
};

export type ReactionSummary = {
  readonly emoji: string;
  readonly count: number;
  /** You are one of those who reacted with it. */
  readonly mine: boolean;
};

export type MessageView = {
  /** The content id inside the ciphertext: stable across edits, replies and reactions. */
  readonly id: string;
  /** Position in the conversation's log; absent while the message waits in the outbox. */
  readonly seq?: number;
  readonly kind: 'text' | 'system' | 'undecryptable' | 'deleted' | 'unsupported';
  /** Plain text; components turn URLs into links and never render it as HTML. */
  readonly text: string;
  readonly fromSelf: boolean;
  readonly senderName: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly edited: boolean;
  /** Only on your own messages. */
  readonly tick?: Tick;
  readonly replyTo?: {
    readonly id: string;
    readonly senderName: string;
    readonly excerpt: string;
  };
  readonly reactions: readonly ReactionSummary[];
};

/** The header of an open conversation. */
export type ConversationHeader = {
  readonly id: string;
  readonly title: string;
  readonly isGroup: boolean;
  readonly avatarUrl?: string;
  /** "online", "last seen today at 14:02", "typing…", "Ana, Ben, you": ready to show. */
  readonly status: string;
};

export type ConversationView = {
  readonly header: ConversationHeader;
  /** Oldest first. */
  readonly messages: readonly MessageView[];
  /** Older messages exist on this device that are not loaded yet. */
  readonly hasOlder: boolean;
  /** The id of the first message you have not read, when there is one. */
  readonly firstUnreadId?: string;
  /** Who is typing, ready to show: "Ana is typing…". Empty when nobody is. */
  readonly typing: string;
};

export type ProfileView = {
  readonly displayName: string;
  readonly about: string;
  readonly phoneNumber: string;
  readonly avatarUrl?: string;
};

export type PrivacyView = {
  readonly lastSeen: Visibility;
  readonly online: Visibility;
  readonly readReceipts: boolean;
};

export type DeviceView = {
  readonly id: string;
  readonly name: string;
  readonly current: boolean;
  /** Milliseconds since the epoch. */
  readonly signedInAt: number;
  readonly lastActiveAt?: number;
};

export type NotificationsView = {
  /** The browser's permission: 'default' until asked. */
  readonly permission: 'default' | 'granted' | 'denied' | 'unsupported';
  /** This device is subscribed to Web Push. */
  readonly enabled: boolean;
};

/** Contact info: who the other user is, and the safety number to compare. */
export type ContactView = {
  readonly userId: string;
  readonly displayName: string;
  readonly about: string;
  readonly phoneNumber: string;
  readonly avatarUrl?: string;
  /** Twelve groups of five digits. */
  readonly safetyNumber: readonly string[];
  /** What the QR code encodes (scanned by the other user's device to compare). */
  readonly safetyQrPayload: string;
  readonly verified: boolean;
};
