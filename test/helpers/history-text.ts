/**
 * Everything a history reveals as text: the JSON itself plus every base64 value decoded
 * (payload data is base64 in the JSON, so a plain-text search alone would miss it).
 */
export function historyText(historyJson: string): string {
  const parts = [historyJson];
  const walk = (value: unknown) => {
    if (typeof value === 'string') {
      if (value.length >= 4 && /^[A-Za-z0-9+/]+={0,2}$/.test(value))
        parts.push(Buffer.from(value, 'base64').toString('utf8'));
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(JSON.parse(historyJson));
  return parts.join('\n');
}
