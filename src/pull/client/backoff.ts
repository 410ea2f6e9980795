// Reconnect delay by attempt (B.7, PULL-38). Pure: the random source is a parameter so tests can pin it.

/**
 * Seconds to wait before connection attempt number `attempt` (the count of attempts already made):
 * 0.5 s before the first retry, then 15 / 45 / 600 / 3600 s at attempts 1, 3, 5 and 10, each with up to +20 %
 * jitter. Bitrix adds jitter on top rather than "full jitter" below the base, so a delay is never shorter than base.
 *
 * @example reconnectDelay(0, () => 0) // 0.5
 * @example reconnectDelay(4, () => 1) // 54
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  let base: number
  if (attempt < 1) base = 0.5
  else if (attempt < 3) base = 15
  else if (attempt < 5) base = 45
  else if (attempt < 10) base = 600
  else base = 3600
  const r = Math.min(Math.max(random(), 0), 1)
  return base + base * r * 0.2
}

/** The 4010 restart delay: `ceil(random × 30) + 5`, so 6-35 s (5 only for a random of exactly 0). */
export function restartDelay(random: () => number = Math.random): number {
  return Math.ceil(Math.min(Math.max(random(), 0), 1) * 30) + 5
}
