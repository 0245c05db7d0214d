// How every renderer marks a bonus (an execute: check marked `bonus`): its points come on top of the maximum.

export const bonusNote = (p: { readonly bonus?: true }): string => (p.bonus ? ' (bonus)' : '');
