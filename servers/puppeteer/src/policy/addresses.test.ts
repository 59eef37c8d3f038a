import { describe, expect, it } from 'vitest';
import {
  AddressClass,
  canonicalAddress,
  classifyAddress,
  ipv6Groups,
  sameHostAddress,
} from './addresses.js';

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', AddressClass.Public],
    ['93.184.216.34', AddressClass.Public],
    ['127.0.0.1', AddressClass.Loopback],
    ['127.255.0.9', AddressClass.Loopback],
    ['0.0.0.0', AddressClass.Unspecified],
    ['0.1.2.3', AddressClass.Unspecified],
    ['10.0.0.1', AddressClass.Private],
    ['172.16.0.1', AddressClass.Private],
    ['172.31.255.255', AddressClass.Private],
    ['172.32.0.1', AddressClass.Public],
    ['192.168.1.1', AddressClass.Private],
    ['100.64.0.1', AddressClass.Private],
    ['100.127.255.255', AddressClass.Private],
    ['169.254.1.1', AddressClass.LinkLocal],
    ['169.254.169.254', AddressClass.Metadata],
    ['169.254.170.2', AddressClass.Metadata],
    ['100.100.100.200', AddressClass.Metadata],
    ['224.0.0.1', AddressClass.Multicast],
    ['255.255.255.255', AddressClass.Reserved],
    ['192.0.2.1', AddressClass.Reserved],
    ['::1', AddressClass.Loopback],
    ['::', AddressClass.Unspecified],
    ['fd00::1', AddressClass.Private],
    ['fc00::1', AddressClass.Private],
    ['fe80::1', AddressClass.LinkLocal],
    ['fe80::1%eth0', AddressClass.LinkLocal],
    ['ff02::1', AddressClass.Multicast],
    ['fd00:ec2::254', AddressClass.Metadata],
    ['2606:4700::1111', AddressClass.Public],
    ['2001:db8::1', AddressClass.Reserved],
    ['[::1]', AddressClass.Loopback],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('judges IPv6 forms that embed an IPv4 address by the address they embed', () => {
    expect(classifyAddress('::ffff:127.0.0.1')).toBe(AddressClass.Loopback);
    expect(classifyAddress('::ffff:7f00:1')).toBe(AddressClass.Loopback);
    expect(classifyAddress('::ffff:169.254.169.254')).toBe(AddressClass.Metadata);
    expect(classifyAddress('::ffff:a00:1')).toBe(AddressClass.Private);
    expect(classifyAddress('::10.0.0.1')).toBe(AddressClass.Private);
    expect(classifyAddress('64:ff9b::a9fe:a9fe')).toBe(AddressClass.Metadata);
    expect(classifyAddress('2002:7f00:1::')).toBe(AddressClass.Loopback);
    expect(classifyAddress('::ffff:8.8.8.8')).toBe(AddressClass.Public);
  });

  it('returns undefined for anything that is not an IP literal', () => {
    expect(classifyAddress('example.com')).toBeUndefined();
    expect(classifyAddress('127.1')).toBeUndefined();
    expect(classifyAddress('')).toBeUndefined();
  });

  it('expands every textual IPv6 form to eight groups', () => {
    expect(ipv6Groups('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups('1::')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
    expect(ipv6Groups('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('canonicalAddress', () => {
  it('gives every spelling of one address one form, IPv4 for IPv6 that only wraps IPv4', () => {
    expect(canonicalAddress('127.0.0.1')).toBe('127.0.0.1');
    expect(canonicalAddress('[::ffff:127.0.0.1]')).toBe('127.0.0.1');
    expect(canonicalAddress('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(canonicalAddress('::10.0.0.1')).toBe('10.0.0.1');
    expect(canonicalAddress('[::1]')).toBe('0:0:0:0:0:0:0:1');
    expect(canonicalAddress('0:0:0:0:0:0:0:1')).toBe('0:0:0:0:0:0:0:1');
    expect(canonicalAddress('FD00::0001')).toBe('fd00:0:0:0:0:0:0:1');
    expect(canonicalAddress('localhost')).toBeUndefined();
  });

  it('treats two addresses as one host when they are equal or both loopback', () => {
    expect(sameHostAddress('::ffff:10.0.0.1', '10.0.0.1')).toBe(true);
    expect(sameHostAddress('127.0.0.2', '::1')).toBe(true);
    expect(sameHostAddress('10.0.0.1', '10.0.0.2')).toBe(false);
    expect(sameHostAddress('127.0.0.1', '10.0.0.1')).toBe(false);
    expect(sameHostAddress('example.com', 'example.com')).toBe(false);
  });
});
