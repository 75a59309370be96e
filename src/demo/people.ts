// Trainee identities: French names, birth dates 1970–2005, @exemple.fr addresses, France Travail ids.
import type { Rng } from "./random.ts";

const FIRST_NAMES = [
  "Léa", "Lucas", "Manon", "Hugo", "Chloé", "Nathan", "Camille", "Enzo", "Inès", "Théo",
  "Sarah", "Mathis", "Laura", "Yanis", "Julie", "Kevin", "Océane", "Mehdi", "Pauline", "Julien",
  "Aurélie", "Sébastien", "Nadia", "Romain", "Sandrine", "Anthony", "Fatoumata", "Cédric", "Marine", "Rachid",
  "Élodie", "Florian", "Samira", "Jérôme", "Coralie", "Maxime", "Valérie", "Bilal", "Morgane", "Stéphane",
  "Émilie", "Alexandre", "Sonia", "Dylan", "Jessica", "Loïc", "Amandine", "Farid", "Céline", "Quentin",
];

const LAST_NAMES = [
  "Martin", "Bernard", "Garcia", "Martinez", "Lopez", "Fabre", "Vidal", "Roux", "Fournier", "Bonnet",
  "Mercier", "Blanc", "Rouquette", "Castan", "Delmas", "Bousquet", "Cazals", "Marty", "Roques", "Sanchez",
  "Perez", "Fernandez", "Benali", "Haddad", "Nguyen", "Diallo", "Traoré", "Cabrol", "Pujol", "Sicard",
  "Girard", "Moreau", "Lefebvre", "Gauthier", "Barthe", "Combes", "Puech", "Teyssier", "Soulié", "Vergnes",
  "Alibert", "Salvat", "Ferrer", "Carrère", "Estève", "Arnaud", "Lacombe", "Mazars", "Cros", "Bouzid",
];

export interface DemoIdentity {
  firstName: string;
  lastName: string;
  birthDate: string;
  email: string;
  phone: string;
  franceTravailId: string | null;
  jobSeekerRegistered: boolean;
}

const ascii = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z]+/g, "-");

/** Glossary: 8 characters (7 digits + 1 letter or digit) or 11 digits; both formats appear. */
function franceTravailId(rng: Rng, index: number): string {
  if (index % 3 === 2) return rng.digits(11);
  const last = rng.pick("0123456789ABCDEFGHJKLMNPRSTUVWXYZ".split(""));
  return `${rng.digits(7)}${last}`;
}

export function createIdentities(rng: Rng, count: number, unregistered: Set<number>): DemoIdentity[] {
  const seen = new Set<string>();
  const result: DemoIdentity[] = [];
  for (let i = 0; i < count; i++) {
    let firstName: string;
    let lastName: string;
    do {
      firstName = rng.pick(FIRST_NAMES);
      lastName = rng.pick(LAST_NAMES);
    } while (seen.has(`${firstName} ${lastName}`));
    seen.add(`${firstName} ${lastName}`);
    const year = rng.int(1970, 2005);
    const month = String(rng.int(1, 12)).padStart(2, "0");
    const day = String(rng.int(1, 28)).padStart(2, "0");
    const registered = !unregistered.has(i);
    result.push({
      firstName,
      lastName,
      birthDate: `${year}-${month}-${day}`,
      email: `${ascii(firstName)}.${ascii(lastName)}@exemple.fr`,
      phone: `0${rng.pick(["6", "7"])} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)}`,
      franceTravailId: registered ? franceTravailId(rng, i) : null,
      jobSeekerRegistered: registered,
    });
  }
  return result;
}
