import { planSend } from '../../../../adapters/qq/qq.outbound';

describe('QQ outbound plan', () => {
  test('a group reply quotes and @mentions; buttons become command lines', () => {
    const plan = planSend(
      {
        platform: 'qq',
        chatId: '100',
        chatKind: 'group',
        text: 'Ticket #12 opened',
        mentions: [
          { id: '7', name: 'alice' },
          { id: 'U-not-qq', name: 'eve' },
        ],
        buttons: [
          { label: 'Claim', command: '/claim #12' },
          { label: '/status', command: '/status' },
        ],
        replyToMessageId: '-3',
      },
      1500,
    );
    expect(plan).toEqual({
      action: 'send_group_msg',
      target: '100',
      parts: [
        {
          group_id: 100,
          message: [
            { type: 'reply', data: { id: '-3' } },
            { type: 'at', data: { qq: '7' } },
            { type: 'text', data: { text: ' @eve Ticket #12 opened\n\nClaim: /claim #12\n/status' } },
          ],
        },
      ],
    });
  });

  test('visibleTo in a group becomes a private message through the group, without quote or @', () => {
    const plan = planSend(
      {
        platform: 'qq',
        chatId: '100',
        chatKind: 'group',
        text: 'only you',
        visibleTo: '7',
        mentions: [{ id: '7', name: 'alice' }],
        replyToMessageId: '5',
      },
      1500,
    );
    expect(plan).toEqual({
      action: 'send_private_msg',
      target: '7',
      parts: [{ user_id: 7, group_id: 100, message: [{ type: 'text', data: { text: '@alice only you' } }] }],
    });
  });

  test('ids beyond 2^53 stay strings; non-numeric ids are refused', () => {
    const big = planSend(
      { platform: 'qq', chatId: '99999999999999999999', chatKind: 'direct', text: 'x' },
      1500,
    );
    expect(big.parts[0]).toMatchObject({ user_id: '99999999999999999999' });
    expect(() => planSend({ platform: 'qq', chatId: 'C123', chatKind: 'group', text: 'x' }, 1500)).toThrow(
      /numeric/,
    );
  });
});
