// Server-only. A user's place in a conversation, with their receipt cursors.
import type { Member, User } from '../../generated/prisma/client.ts';
import { visibleReadSeq } from '../../messaging/receipts.js';
import { builder } from '../builder.js';
import { requireViewer } from '../context.js';
import { UserRef } from './user.js';

const MemberRoleEnum = builder.enumType('MemberRole', { values: ['ADMIN', 'MEMBER'] as const });

export type MemberShape = Member & { user: User };

export const MemberRef = builder.objectRef<MemberShape>('Member').implement({
  description: 'A user’s place in a conversation, with their receipt cursors.',
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: (member) => member.user }),
    role: t.expose('role', { type: MemberRoleEnum }),
    joinedAt: t.expose('joinedAt', { type: 'DateTime' }),
    deliveredUpTo: t.exposeInt('deliveredSeq', {
      description: 'This member has received every message up to this seq.',
    }),
    readUpTo: t.int({
      nullable: true,
      description: 'This member has read up to this seq; null when read receipts are off.',
      resolve: async (member, _args, context) => {
        const viewer = requireViewer(context);
        if (member.userId === viewer.userId) return member.readSeq;
        return visibleReadSeq(member, (await context.self()).readReceipts);
      },
    }),
  }),
});
