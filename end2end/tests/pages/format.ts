/**
 * A duration given in minutes as the app, its reports and their mails say it (the domain's
 * `analytics::duration_words`): whole minutes under an hour, hours and minutes from an hour.
 */
export function durationWords(minutes: number, lang: 'zh' | 'en' = 'zh'): string {
  const size = Math.abs(minutes);
  const total = Math.round(size);
  const [hours, rest] = [Math.floor(total / 60), total % 60];
  const zh = lang === 'zh';
  if (total === 0 && size > 0) return zh ? '不到 1 分钟' : 'under 1 min';
  if (hours === 0) return zh ? `${rest} 分钟` : `${rest} min`;
  if (rest === 0) return zh ? `${hours} 小时` : `${hours} h`;
  return zh ? `${hours} 小时 ${rest} 分钟` : `${hours} h ${rest} min`;
}
