/** Masks a resident ID for display: area code and last four stay, the birth date is hidden. */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.length <= 10) return '*'.repeat(idNumber.length);
  return idNumber.slice(0, 6) + '*'.repeat(idNumber.length - 10) + idNumber.slice(-4);
}

/** Masks a phone number: the first three and last four digits stay (`138****5678`). */
export function maskPhone(phone: string): string {
  if (phone.length < 8) return '*'.repeat(phone.length);
  return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}

/** Masks a detailed address: the first six characters stay (district and street), the rest hidden. */
export function maskAddress(address: string): string {
  const chars = Array.from(address);
  if (chars.length <= 6) return chars[0] + '*'.repeat(Math.max(chars.length - 1, 0));
  return chars.slice(0, 6).join('') + '****';
}
